using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Reads the first issue of an upstream OperationOutcome (an error answer, or a batch entry's `response.outcome`), the one
/// reader every feature uses so the upstream's own words reach the client the same way: Medplum's "Search offset exceeds
/// maximum", HAPI's "Search ID … may have expired", "Invalid id". The text is `diagnostics`, else `details.text` (Medplum).
/// </summary>
internal static class UpstreamOutcomeReader
{
    // An error body is an OperationOutcome of a few KB; a server that sends megabytes instead is cut short.
    private const int MaxBodyBytes = 64 * 1024;

    /// <returns>The first issue, or null when the body is not a (small, whole) OperationOutcome.</returns>
    public static async Task<UpstreamIssue?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var length = await body.ReadAtLeastAsync(buffer.AsMemory(0, MaxBodyBytes), MaxBodyBytes, throwOnEndOfStream: false, cancellationToken);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return Read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static UpstreamIssue? Read(JsonElement outcome)
    {
        if (outcome.ValueKind != JsonValueKind.Object || !outcome.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array
            || issues.GetArrayLength() == 0 || issues[0].ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var issue = issues[0];
        var code = Text(issue, "code") is { } literal ? EnumUtility.ParseLiteral<OperationOutcome.IssueType>(literal) : null;
        var expression = issue.TryGetProperty("expression", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
            && e[0].ValueKind == JsonValueKind.String ? e[0].GetString() : null;
        return new UpstreamIssue(code, TextOf(issue), expression);
    }

    private static string? TextOf(JsonElement issue) =>
        Text(issue, "diagnostics") ?? (issue.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object ? Text(details, "text") : null);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
