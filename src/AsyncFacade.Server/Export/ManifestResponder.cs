using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The Bulk Data manifest of a finished export (`application/json`): transactionTime, request, requiresAccessToken,
/// output[] (absolute URLs, line counts), error[] and its STU4 name outcome[]. A job that failed as a whole answers
/// with its OperationOutcome and a 5xx, as the Bulk Data status request specifies for fatal errors.
/// </summary>
internal sealed class ManifestResponder : IJobResultResponder
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FileUrl(JobRecord job, string name) => $"{AsyncResults.StatusUrl(job)}/files/{name}";

    public static string TransactionTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>A bulk job that failed as a whole: its OperationOutcome with a 5xx (Bulk Data status request, fatal error).</summary>
    public static IResult Failed(JobRecord job) => new RawJsonResult(StatusCodes.Status500InternalServerError, FhirMediaTypes.JsonUtf8,
        job.Outcome ?? FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Exception, $"The {job.Kind} failed.")));

    public IResult Finished(JobRecord job)
    {
        if (job.State != JobState.Completed || job.Result is null)
        {
            return Failed(job);
        }
        var result = JsonSerializer.Deserialize<ExportResult>(job.Result)!;
        var errors = result.Errors.Select(e => new { type = e.Type, url = FileUrl(job, e.Name), count = e.Count }).ToList();
        var manifest = new Dictionary<string, object>
        {
            ["transactionTime"] = TransactionTime(result.TransactionTime),
            ["request"] = result.Request,
            ["requiresAccessToken"] = false,
            ["output"] = result.Output.Select(f => new { type = f.Type, url = FileUrl(job, f.Name), count = f.Count }),
            ["error"] = errors,
            ["outcome"] = errors,
        };
        if (result.Deleted is { } deleted)
        {
            // Only for `_since` exports, where "what was deleted since" is a question the client asked.
            manifest["deleted"] = deleted.Select(f => new { type = f.Type, url = FileUrl(job, f.Name), count = f.Count });
        }
        return new RawJsonResult(StatusCodes.Status200OK, ContentType, JsonSerializer.Serialize(manifest, Json));
    }
}
