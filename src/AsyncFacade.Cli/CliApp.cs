using System.CommandLine;
using AsyncFacade.Cli.Commands;

namespace AsyncFacade.Cli;

/// <summary>The `fhir-async` command line; tests call <see cref="RunAsync"/> in-process with their own writers.</summary>
internal static class CliApp
{
    /// <param name="interactive">stderr is a terminal: show the live progress display.</param>
    /// <param name="terminationTimeout">Handle Ctrl+C/SIGTERM through the token (the real process); null in tests.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, TimeSpan? terminationTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var common = new CommonOptions();
        var root = new RootCommand("fhir-async: run FHIR requests asynchronously (Prefer: respond-async) and Bulk Data $export/$import, " +
            "with polling that honours Retry-After, live progress, resumable verified downloads and SMART Backend Services auth.");
        common.AddTo(root);
        var environment = new CliEnvironment(stdout, stderr, interactive, common);
        root.Add(ExportCommand.Create(environment));
        root.Add(ImportCommand.Create(environment));
        root.Add(RunCommand.Create(environment));
        root.Add(StatusCommand.Create(environment));
        root.Add(CancelCommand.Create(environment));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message);
            }
            await stderr.WriteLineAsync("Try 'fhir-async --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = terminationTimeout,
            }, cancellationToken);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
    }
}
