using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.Export;

internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExport(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(PublicBaseUrl.FhirPath).WithTags("Bulk Data");
        string[] methods = [HttpMethods.Get, HttpMethods.Post];
        fhir.MapMethods("/$export", methods, (HttpContext c, ExportKickOff k) => k.KickOffAsync(c, ExportLevel.System, null))
            .WithName("SystemExport").WithSummary("Bulk Data export of the whole server (Prefer: respond-async required)");
        fhir.MapMethods("/Patient/$export", methods, (HttpContext c, ExportKickOff k) => k.KickOffAsync(c, ExportLevel.Patient, null))
            .WithName("PatientExport").WithSummary("Bulk Data export of all patients' compartments");
        fhir.MapMethods("/Group/{id}/$export", methods, (string id, HttpContext c, ExportKickOff k) => k.KickOffAsync(c, ExportLevel.Group, id))
            .WithName("GroupExport").WithSummary("Bulk Data export of the compartments of a group's members");
        fhir.MapGet("/_async/{id}/files/{name}", DownloadAsync)
            .WithName("ExportFile")
            .WithSummary("An export's NDJSON file or an import's error report (application/fhir+ndjson); byte ranges resume an interrupted download")
            .Produces(StatusCodes.Status200OK, contentType: "application/fhir+ndjson").Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);
        foreach (var pattern in new[] { "/$export", "/Patient/$export", "/Group/{id}/$export" })
        {
            fhir.MapOtherMethods(pattern, methods);
        }
        fhir.MapOtherMethods("/_async/{id}/files/{name}", HttpMethods.Get);
        return fhir;
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);

    /// <summary>RFC 9110 §14.1.2: a `Range: bytes=` header none of whose ranges overlaps the file.</summary>
    private static bool Unsatisfiable(HttpRequest request, long length) =>
        request.GetTypedHeaders().Range is { Unit.Value: "bytes" } range &&
        !range.Ranges.Any(r => r.From is { } from ? from < length : r.To > 0 && length > 0);

    private static async Task<IResult> DownloadAsync(string id, string name, HttpContext httpContext, AsyncStatus status, IOutputStore output)
    {
        var job = await status.FindAsync(id, httpContext, httpContext.RequestAborted);
        // Every manifest-mode job (export, import) lists its NDJSON files here. A running export's committed files are
        // complete and never change: its partial manifests (allowPartialManifests) list them.
        if (job is not ({ Mode: ExportJobs.ManifestMode, State: JobState.Completed } or { Kind: ExportJobs.Kind, State: JobState.Running }) ||
            !OutputKey.IsValid(name) || name.Contains('/') ||
            !name.EndsWith(".ndjson", StringComparison.Ordinal) || await output.OpenReadAsync(ExportJobs.FileKey(id, name), httpContext.RequestAborted) is not { } file)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"No file '{name}' for job '{id}': the job is unknown, cancelled or expired, or has no such file (yet).");
        }
        if (Simulation.SimulatedStatus.MissingToken(job, httpContext.Request) is { } unauthorized)
        {
            await file.DisposeAsync();
            return unauthorized;
        }
        // A ranged request gets the stored bytes (offsets must mean the same on every retry); otherwise gzip when accepted.
        var gzip = !httpContext.Request.Headers.ContainsKey(HeaderNames.Range) && AcceptsGzip(httpContext.Request);
        if (Unsatisfiable(httpContext.Request, file.Length))
        {
            // Results.Stream would answer this 416 with an empty body; every error carries an OperationOutcome.
            await file.DisposeAsync();
            httpContext.Response.Headers.ContentRange = $"bytes */{file.Length}";
            return FhirResults.Error(StatusCodes.Status416RangeNotSatisfiable, OperationOutcome.IssueType.Invalid,
                $"No range asked for lies within the file, which has {file.Length} bytes.", "Range");
        }
        IResult result = gzip
            ? new GzipFileResult(file)
            // Results.Stream answers Range requests (206) from the seekable file, so a client can resume a download.
            : Results.Stream(file.Content, "application/fhir+ndjson", lastModified: file.LastModified, enableRangeProcessing: true);
        return AsyncResults.Expiring(result, job);
    }
}
