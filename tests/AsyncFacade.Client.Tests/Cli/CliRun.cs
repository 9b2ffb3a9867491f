using System.Text;
using System.Text.Json;
using AsyncFacade.Cli;

namespace AsyncFacade.Client.Tests.Cli;

/// <summary>Runs `fhir-async` in-process with captured stdout/stderr (not a terminal, so no live display, unless <see cref="Interactive"/>).</summary>
public sealed class CliRun
{
    private readonly SharedWriter stdout = new();
    private readonly SharedWriter stderr = new();

    public int ExitCode { get; private set; }

    /// <summary>Run as on a terminal: the live display instead of progress lines.</summary>
    public bool Interactive { get; init; }

    public string Out => stdout.Text;

    public string Error => stderr.Text;

    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var run = new CliRun();
        await run.StartAsync(args, cancellationToken);
        return run;
    }

    public async Task StartAsync(string[] args, CancellationToken cancellationToken) =>
        ExitCode = await CliApp.RunAsync(args, stdout, stderr, interactive: Interactive, terminationTimeout: null, cancellationToken);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";

    /// <summary>A writer that can be read while the command still writes to it.</summary>
    private sealed class SharedWriter : StringWriter
    {
        public string Text
        {
            get
            {
                lock (this)
                {
                    return GetStringBuilder().ToString();
                }
            }
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (this)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (this)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }
        }
    }
}
