using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The manifest of a finished import (`application/json`), in the shape of the Microsoft FHIR server's: transactionTime,
/// request, output[{type, count, inputUrl}] (resources written per input, in input order) and error[{type, url, count,
/// inputUrl}] (NDJSON OperationOutcome reports, downloaded like export files).
/// </summary>
internal sealed class ImportManifestResponder(ManifestLinks links) : IJobResultResponder
{
    public IResult Finished(JobRecord job)
    {
        if (job.State != JobState.Completed || job.Result is null)
        {
            return ManifestResponder.Failed(job);
        }
        var result = JsonSerializer.Deserialize<ImportResult>(job.Result)!;
        return links.Manifest(job, result.Error.Select(e => e.Name), fileLinks => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["transactionTime"] = ManifestResponder.TransactionTime(result.TransactionTime),
            ["request"] = result.Request,
            ["requiresAccessToken"] = fileLinks.RequiresAccessToken,
            ["output"] = result.Output.Select(o => new { type = o.Type, count = o.Count, inputUrl = o.InputUrl }),
            ["error"] = result.Error.Select(e => new Dictionary<string, object?>
            {
                ["type"] = "OperationOutcome",
                ["url"] = fileLinks.Url(e.Name),
                ["count"] = e.Count,
                ["inputUrl"] = e.InputUrl,
            }.Where(p => p.Value is not null).ToDictionary()),
        }, ManifestResponder.Json));
    }

    public string Cancelled(JobRecord job) =>
        $"The import was cancelled; it stops after the batch in flight. Resources already written to the upstream stay written " +
        $"(at the cancel: {job.Progress ?? "not started"}). Running the same import again is safe: every resource is written with PUT by id.";
}
