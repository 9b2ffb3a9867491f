using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The Bulk Data manifest of a finished export (`application/json`): transactionTime, request, requiresAccessToken,
/// output[] (absolute URLs, line counts), error[] and its STU4 name outcome[]. With `allowPartialManifests` it comes in
/// pages (`?page=N`, linked by `link` next), the same pages the export served while it ran, plus a last page with
/// error[] and deleted[]. A job that failed as a whole answers with its OperationOutcome and a 5xx, as the Bulk Data
/// status request specifies for fatal errors.
/// </summary>
internal sealed class ManifestResponder(ManifestLinks links) : IJobResultResponder
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FileUrl(JobRecord job, string name) => $"{AsyncResults.StatusUrl(job)}/files/{name}";

    public static string TransactionTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>A bulk job that failed as a whole: its OperationOutcome with a 5xx (Bulk Data status request, fatal error).</summary>
    public static IResult Failed(JobRecord job) => new RawJsonResult(StatusCodes.Status500InternalServerError, FhirMediaTypes.JsonUtf8,
        job.Outcome ?? FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Exception, $"The {job.Kind} failed.")));

    /// <param name="status">200 for a finished job; 202 for a partial manifest of a running export.</param>
    public static IResult Manifest(string json, int status = StatusCodes.Status200OK) => new RawJsonResult(status, ContentType, json);

    public IResult Finished(JobRecord job)
    {
        if (job.State != JobState.Completed || job.Result is null)
        {
            return Failed(job);
        }
        var result = JsonSerializer.Deserialize<ExportResult>(job.Result)!;
        var manifest = Render(job, result, partial: false);
        // The manifest's error file names each shortfall; the header says at once that this export is not whole, so a
        // client that only looks at the status and output[] is not misled by a 200.
        return result.Missing > 0
            ? AsyncResults.WithHeaders(manifest, headers => headers["X-Progress"] = $"completed, incomplete: {result.Missing.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} resources the upstream counts are missing (see error[])")
            : manifest;
    }

    /// <summary>
    /// The pages of an export that is done but must still read as running (a simulated duration): served with 202, as
    /// they were while it ran, without the last page (errors are not told before the end).
    /// </summary>
    public IResult? StillRunning(JobRecord job) =>
        job.Result is { } json && JsonSerializer.Deserialize<ExportResult>(json) is { Pages: not null } result ? Render(job, result, partial: true) : null;

    private PagedResult Render(JobRecord job, ExportResult result, bool partial)
    {
        var status = partial ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        IResult Page(IReadOnlyList<ExportFile> output, IReadOnlyList<ExportFile> errors, IReadOnlyList<ExportFile>? deleted, int? next = null)
        {
            var manifest = new ExportManifest(job, result.TransactionTime, result.Request, output, errors, deleted, next) { OrganizedBy = result.OrganizedBy };
            return links.Manifest(job, manifest.FileNames, manifest.ToJson, status);
        }
        if (result.Pages is not { } pages)
        {
            return new PagedResult(page => page == 1 ? Page(result.Output, result.Errors, result.Deleted) : null);
        }
        return new PagedResult(page =>
            page <= pages.Count ? Page(result.Output.Skip(pages.Take(page - 1).Sum()).Take(pages[page - 1]).ToList(), [], null,
                page < pages.Count || !partial ? page + 1 : null)
            : page == pages.Count + 1 && !partial ? Page([], result.Errors, result.Deleted)
            : null,
            partial ? Results.StatusCode(StatusCodes.Status202Accepted) : null);
    }

    /// <summary>Answers `?page=N` (default 1); a page that does not exist (yet) gets <paramref name="missing"/>, or a 404.</summary>
    internal sealed class PagedResult(Func<int, IResult?> page, IResult? missing = null) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var requested = httpContext.Request.Query["page"];
            // Digits only: int.TryParse also takes a sign, spaces and trailing NULs ("1%00" would be page 1).
            var number = requested.Count == 0 ? 1
                : requested[0] is { Length: > 0 } text && text.All(char.IsAsciiDigit) && int.TryParse(text, out var n) && n >= 1 ? n : 0;
            if (number == 0)
            {
                return FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                    $"page must be a positive integer, not '{requested}'.", "page").ExecuteAsync(httpContext);
            }
            return (page(number) ?? missing ?? FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"This export has no manifest page {number}.")).ExecuteAsync(httpContext);
        }
    }
}
