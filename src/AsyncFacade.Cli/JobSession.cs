using AsyncFacade.Client;
using AsyncFacade.Client.Bulk;
using Hl7.Fhir.Model;

namespace AsyncFacade.Cli;

/// <summary>
/// One command's life: kick off (or take a status URL), wait with progress, handle the result, and turn every ending into
/// a summary and an exit code. Ctrl+C while the job still runs sends DELETE, so no orphan job keeps the server busy;
/// Ctrl+C during downloads leaves the finished job (and the `.part` files) for `fhir-async status URL --out DIR` to resume.
/// </summary>
internal sealed class JobSession(string command, FhirAsyncClient client, CliOutput output)
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Ctrl+C while the job runs sends DELETE (off for `status --wait`: that job is not this command's).</summary>
    public bool CancelOnInterrupt { get; init; } = true;

    public async Task<int> RunAsync(Func<CancellationToken, Task<AsyncJob>> start, Func<JobResult, ProgressView, CancellationToken, Task<CliSummary>> finish,
        CancellationToken cancellationToken)
    {
        AsyncJob? running = null;
        try
        {
            var job = await start(cancellationToken);
            running = job;
            // At once, so the job can be followed from elsewhere (`fhir-async status URL --wait`) if this terminal goes
            // away; and before the live display starts, which would wrap a long URL at the console width.
            output.Info($"status URL: {job.StatusUrl}");
            var summary = await output.WithProgressAsync(async view =>
            {
                var result = await client.WaitForCompletionAsync(job, view, cancellationToken);
                running = null;
                return await finish(result, view, cancellationToken) with { StatusUrl = job.StatusUrl.ToString(), Expires = result.Expires };
            });
            output.Write(summary);
            return summary.ExitCode;
        }
        catch (FhirAsyncException ex)
        {
            var summary = Failed(command, ex) with { StatusUrl = running?.StatusUrl.ToString() };
            output.Write(summary);
            return summary.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var message = "interrupted";
            if (running is { } job && CancelOnInterrupt)
            {
                using var timeout = new CancellationTokenSource(CancelTimeout);
                try
                {
                    message = await client.CancelAsync(job.StatusUrl, timeout.Token) ? "interrupted; the job was cancelled on the server (DELETE)" : "interrupted; the job was already gone";
                }
                catch (Exception ex) when (ex is FhirAsyncException or OperationCanceledException)
                {
                    message = $"interrupted; cancelling the job on the server failed: {ex.Message}";
                }
            }
            output.Write(new CliSummary(command, "cancelled", ExitCodes.Interrupted) { Message = message, StatusUrl = running?.StatusUrl.ToString() });
            return ExitCodes.Interrupted;
        }
    }

    public static CliSummary Failed(string command, FhirAsyncException ex) => new(command, ex.Kind switch
    {
        FailureKind.Transient => "transient-failure",
        FailureKind.Unauthorized => "unauthorized",
        FailureKind.Expired => "expired",
        _ => "failed",
    }, ExitCodes.For(ex.Kind))
    {
        Message = ex.Message,
        HttpStatus = (int?)ex.StatusCode,
        Issues = Issues(ex.Outcome),
    };

    public static IReadOnlyList<SummaryIssue>? Issues(OperationOutcome? outcome) =>
        outcome?.Issue.Select(i => new SummaryIssue(FhirJson.Literal(i.Severity), FhirJson.Literal(i.Code), i.Diagnostics ?? i.Details?.Text)).ToList();

    /// <summary>Downloads a manifest result (or only lists it) and summarises the files, counts and error-file issues.</summary>
    public async Task<CliSummary> DownloadAsync(JobResult result, string? directory, ProgressView view, CancellationToken cancellationToken)
    {
        var manifest = result.Manifest ?? throw new FhirAsyncException(FailureKind.Terminal, "The job finished without a Bulk Data manifest.", result.StatusCode);
        var summary = new CliSummary(command, "completed", ExitCodes.Ok) { TransactionTime = manifest.TransactionTime };
        if (directory is null)
        {
            var listed = manifest.Output.Select(f => File("output", f)).Concat(manifest.Error.Select(f => File("error", f))).Concat(manifest.Deleted.Select(f => File("deleted", f)));
            return summary with { Files = [.. listed], Resources = manifest.Output.Sum(f => f.Count ?? 0), ErrorLines = manifest.Error.Sum(f => f.Count ?? 0) };
        }
        view.StartDownloads(manifest);
        var report = await client.DownloadAsync(result, directory, view, cancellationToken);
        return summary with
        {
            OutputDirectory = Path.GetFullPath(directory),
            Files = [.. report.Files.Select(f => new SummaryFile(f.Role.ToString().ToLowerInvariant(), f.Source.Type, f.Source.Url!, f.Path, f.Source.Count, f.Lines, f.Bytes,
                f.ResumedFrom > 0 ? f.ResumedFrom : null, f.Restarted ? true : null))],
            Resources = report.Resources,
            ErrorLines = report.ErrorLines,
            Issues = [.. report.Issues.Select(i => new SummaryIssue(i.Severity, i.Code, i.Diagnostics, i.File, i.Line))],
        };
    }

    private static SummaryFile File(string role, ManifestFile file) => new(role, file.Type, file.Url ?? file.InputUrl ?? "", null, file.Count, null, null, null, null);
}
