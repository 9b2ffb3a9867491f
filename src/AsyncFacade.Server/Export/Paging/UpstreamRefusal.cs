using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// A 4xx from the upstream, in words: its own OperationOutcome text when it sent one (Medplum's "Search offset exceeds
/// maximum", "Cannot search on Binary resource type", HAPI's "Search ID … does not exist and may have expired"), and the
/// issue code a client can act on. A permanent refusal is never `transient`.
/// </summary>
internal static class UpstreamRefusal
{
    private const int MaxReasonLength = 300;

    /// <summary>"400 Bad Request: Search offset exceeds maximum (10000)".</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var text = await ReadTextAsync(response, cancellationToken);
        return text is null ? status : $"{status}: {text}";
    }

    /// <summary>
    /// The code of a refused page. A plain search refused on its first page means the type cannot be searched at all
    /// (the CapabilityStatement lists it anyway: Medplum's Binary), which is `not-supported` whatever status says it.
    /// </summary>
    public static OperationOutcome.IssueType CodeFor(int? status, bool firstPageOfPlainSearch) => status switch
    {
        null => OperationOutcome.IssueType.Exception,
        401 or 403 => OperationOutcome.IssueType.Forbidden,
        400 or 404 or 405 or 501 when firstPageOfPlainSearch => OperationOutcome.IssueType.NotSupported,
        404 or 410 => OperationOutcome.IssueType.NotFound,
        405 or 406 or 415 or 501 => OperationOutcome.IssueType.NotSupported,
        _ => OperationOutcome.IssueType.Invalid,
    };

    private static async Task<string?> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await UpstreamOutcomeReader.ReadAsync(response, cancellationToken))?.Text is { } text
            ? text.Length > MaxReasonLength ? text[..MaxReasonLength] + "…" : text
            : null;
}
