using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Runs one `$import`: inputs in parallel (Import:MaxParallelism), each through <see cref="InputImport"/>, then the
/// result the manifest is rendered from. A resumed run continues every unfinished input from its checkpoint.
/// </summary>
internal sealed class ImportJobHandler(InputImport inputs, IOutputStore output, IOptions<ImportOptions> options, ILogger<ImportJobHandler> logger) : IJobHandler
{
    private const string NotesFile = "OperationOutcome-0.ndjson";

    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var request = await ReadRequestAsync(job, cancellationToken);
        var checkpoints = new ImportCheckpoints(context, request.Inputs.Count);
        var progress = new ImportProgress(request.Inputs.Count, checkpoints.All);
        await context.ReportProgressAsync(progress.Describe(), cancellationToken);

        var results = new InputCheckpoint[request.Inputs.Count];
        var stopped = false;
        await Parallel.ForEachAsync(Enumerable.Range(0, request.Inputs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                try
                {
                    context.Stopping.ThrowIfCancellationRequested(); // no input starts once a shutdown began
                    results[index] = await inputs.RunAsync(context, request, index, checkpoints, progress, token);
                }
                catch (OperationCanceledException) when (context.StopRequested && !token.IsCancellationRequested)
                {
                    // Shutdown: this input stopped at its checkpoint; the others go on to theirs instead of being cut off mid-batch.
                    stopped = true;
                }
            });
        if (stopped)
        {
            throw new OperationCanceledException("The import stopped at its checkpoints for a shutdown.", context.Stopping);
        }

        var errors = new List<ImportErrorReport>();
        if (request.DeletedFiles > 0)
        {
            errors.Add(await WriteNoteAsync(job.Id, $"The manifest lists {request.DeletedFiles} file(s) of deleted resources (deleted[]); " +
                "this import writes resources only and did not apply those deletions.", cancellationToken));
        }
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].ErrorFile is { } name)
            {
                errors.Add(new ImportErrorReport(name, results[i].Errors, request.Inputs[i].Url));
            }
        }
        var outputs = request.Inputs.Select((input, i) => new ImportOutput(input.Type, results[i].Written, input.Url)).ToList();
        ImportLog.Finished(logger, job.Id, progress.Written, outputs.Count, progress.Errors);
        return JsonSerializer.Serialize(new ImportResult(job.CreatedAt, job.BaseUrl + "/" + job.Request.Url, outputs, errors));
    }

    private async Task<ImportErrorReport> WriteNoteAsync(string jobId, string text, CancellationToken cancellationToken)
    {
        var line = FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Informational, text, OperationOutcome.IssueSeverity.Information, "deleted"));
        await using var writer = await output.CreateAsync(Export.ExportJobs.FileKey(jobId, NotesFile), cancellationToken);
        await writer.Content.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return new ImportErrorReport(NotesFile, 1, null);
    }

    private async Task<ImportRequest> ReadRequestAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using var stored = await output.OpenReadAsync(job.Request.BodyKey ?? ImportJobs.RequestBodyKey(job.Id), cancellationToken)
            ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Exception, "The kick-off body of this import is gone."), "missing body");
        using var reader = new StreamReader(stored.Content);
        var lenient = job.Request.Headers.ContainsKey("Prefer");
        return ImportRequestParser.Parse(await reader.ReadToEndAsync(cancellationToken), lenient, out var error)
            ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Invalid, error?.Message ?? "Invalid import request."), "invalid");
    }
}
