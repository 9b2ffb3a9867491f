using System.CommandLine;
using AsyncFacade.Client;

namespace AsyncFacade.Cli.Commands;

/// <summary>`fhir-async status STATUS-URL [--wait] [--out DIR]`: one poll (or wait), and the result when there is one.</summary>
internal static class StatusCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var url = new Argument<string>("status-url") { Description = "The job's status URL (Content-Location of the kick-off)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the job ends (Ctrl+C stops waiting; the job keeps running)" };
        var output = new Option<string?>("--out", "-o") { Description = "Download a finished manifest's files into this directory (resumes .part files), or write another result to this file" };
        var command = new Command("status", "Show a job's status; with --out, fetch its result (also resumes interrupted downloads)") { url, wait, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var statusUrl = CommonOptions.AbsoluteUrl(parse.GetValue(url)!, "status-url");
            var cli = environment.Output(parse);
            using var client = environment.Client(parse, FhirBaseOf(statusUrl));
            var session = new JobSession("status", client, cli) { CancelOnInterrupt = false };
            if (!parse.GetValue(wait))
            {
                var status = await client.PollAsync(statusUrl, cancellationToken);
                if (status.State != JobState.Completed)
                {
                    var summary = Summary(status) with { StatusUrl = statusUrl.ToString() };
                    cli.Write(summary);
                    return summary.ExitCode;
                }
            }
            return await session.RunAsync(_ => Task.FromResult(new AsyncJob(statusUrl)),
                (result, view, ct) => RunCommand.FinishAsync("status", session, client, cli, result, parse.GetValue(output), ct), cancellationToken);
        });
        return command;
    }

    /// <summary>The FHIR base a status URL belongs to (for SMART discovery): what precedes `/_async/` or `/$export-poll-status`.</summary>
    public static Uri FhirBaseOf(Uri statusUrl)
    {
        var text = statusUrl.GetLeftPart(UriPartial.Path);
        foreach (var marker in new[] { "/_async/", "/$export-poll-status" })
        {
            if (text.IndexOf(marker, StringComparison.Ordinal) is > 0 and var at)
            {
                return new Uri(text[..at]);
            }
        }
        return new Uri(statusUrl, ".");
    }

    private static CliSummary Summary(JobStatus status) => status.State switch
    {
        JobState.InProgress or JobState.Throttled => new CliSummary("status", "in-progress", ExitCodes.Ok)
        {
            Progress = status.Progress, HttpStatus = (int?)status.StatusCode,
            Message = status.RetryAfter is { } after ? $"poll again in {after.TotalSeconds:0} s" : null,
        },
        JobState.TransientError => new CliSummary("status", "transient-failure", ExitCodes.Transient)
        {
            HttpStatus = (int?)status.StatusCode, Message = status.Error, Issues = JobSession.Issues(status.Outcome),
        },
        _ => new CliSummary("status", status.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone ? "not-found" : "failed",
            status.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone ? ExitCodes.Expired : ExitCodes.JobFailed)
        {
            HttpStatus = (int?)status.StatusCode, Message = status.Error, Issues = JobSession.Issues(status.Outcome),
        },
    };
}
