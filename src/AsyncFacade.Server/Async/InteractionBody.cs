using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Hl7.Fhir.Model;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.Async;

/// <summary>
/// The body an async kick-off keeps for its job, checked before any job exists: it must be in a FHIR format (R4
/// http.html#mime-type: JSON, XML, Turtle, JSON Patch, or a form-encoded `_search`; a Binary takes any type), and FHIR JSON
/// must be one well-formed object. The upstream would refuse anything else; refused here, the client hears it at once
/// instead of polling for a job that can only fail.
/// </summary>
internal static class InteractionBody
{
    private static readonly HashSet<string> FhirFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        FhirMediaTypes.Json, "application/json", "application/fhir+xml", "application/xml", "text/xml", "application/fhir+turtle", "text/turtle",
        "application/json-patch+json", "application/x-www-form-urlencoded",
    };

    public static bool IsPresent(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <returns>Null when the body may be kept (or there is none); else the 415 or 400 to answer.</returns>
    public static async Task<IResult?> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsPresent(request))
        {
            return null;
        }
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (mediaType is null || (!FhirFormats.Contains(mediaType) && !IsBinary(request)))
        {
            return FhirResults.Error(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                $"A request body must be sent as a FHIR format (application/fhir+json, application/fhir+xml, application/json-patch+json…), not '{request.ContentType}'.",
                "Content-Type");
        }
        if (!mediaType.Equals(FhirMediaTypes.Json, StringComparison.OrdinalIgnoreCase) && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Buffered (past 30 KB in a temporary file, never whole in memory) so it can be read again into the job's store.
        request.EnableBuffering();
        var wellFormed = await JsonValidation.IsSingleObjectAsync(request.Body, cancellationToken);
        request.Body.Position = 0;
        return wellFormed ? null : FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
            "The request body is not one well-formed JSON object (a FHIR resource).", "body");
    }

    /// <summary>`Binary` (and its instances) may be created and updated with the raw content in its own type.</summary>
    private static bool IsBinary(HttpRequest request) =>
        request.Path.Value![PublicBaseUrl.FhirPath.Length..].TrimStart('/').Split('/')[0] == "Binary";
}
