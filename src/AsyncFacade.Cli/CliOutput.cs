using Spectre.Console;

namespace AsyncFacade.Cli;

/// <summary>Where a command writes: results to stdout, progress and messages to stderr; live display only on a terminal.</summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool json, bool interactive)
{
    public TextWriter Out => stdout;

    public TextWriter Error => stderr;

    public bool Json => json;

    /// <summary>A progress message on stderr (nothing with --json); call it outside <see cref="WithProgressAsync"/>.</summary>
    public void Info(string text)
    {
        if (!json)
        {
            stderr.WriteLine(text);
        }
    }

    /// <summary>Runs <paramref name="work"/> under a live display (interactive terminal, no --json) or with plain progress lines.</summary>
    public async Task<T> WithProgressAsync<T>(Func<ProgressView, Task<T>> work)
    {
        if (json)
        {
            return await work(new ProgressView(null, null));
        }
        if (!interactive)
        {
            return await work(new ProgressView(null, stderr));
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(context => work(new ProgressView(context, null)));
    }

    /// <summary>The summary: the JSON document with --json, otherwise a few readable lines.</summary>
    public void Write(CliSummary summary)
    {
        if (json)
        {
            stdout.WriteLine(summary.ToJson());
            return;
        }
        var writer = summary.ExitCode == ExitCodes.Ok ? stdout : stderr;
        writer.WriteLine($"{summary.Command}: {summary.Status}" + (summary.Message is { } m ? $" — {m}" : ""));
        if (summary.Progress is { } progress)
        {
            writer.WriteLine($"  progress: {progress}");
        }
        if (summary.StatusUrl is { } url)
        {
            writer.WriteLine($"  status URL: {url}");
        }
        if (summary.Files is { Count: > 0 } files)
        {
            foreach (var file in files)
            {
                writer.WriteLine($"  {file.Role,-7} {file.Type ?? "-",-22} {file.Lines ?? file.Count,10:N0}  {file.Path ?? file.Url}");
            }
        }
        if (summary.Resources is { } resources)
        {
            writer.WriteLine($"  {resources:N0} resources" + (summary.OutputDirectory is { } dir ? $" in {dir}" : "") +
                (summary.ErrorLines is > 0 ? $"; {summary.ErrorLines:N0} error lines" : ""));
        }
        foreach (var issue in summary.Issues ?? [])
        {
            writer.WriteLine($"  {issue.Severity} {issue.Code}: {issue.Diagnostics}" + (issue.File is { } f ? $" ({Path.GetFileName(f)} line {issue.Line})" : ""));
        }
    }
}
