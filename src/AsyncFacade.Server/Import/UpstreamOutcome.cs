using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace AsyncFacade.Server.Import;

/// <summary>Turns the upstream's OperationOutcome for a rejected entry or Bundle into a <see cref="ImportProblem"/>.</summary>
internal static class UpstreamOutcome
{
    // A rejection body is an OperationOutcome of a few KB; a server that sends megabytes instead is cut short.
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<ImportProblem> ReadAsync(HttpResponseMessage response, string fallback)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
            var length = await body.ReadAtLeastAsync(buffer.AsMemory(0, MaxBodyBytes), MaxBodyBytes, throwOnEndOfStream: false, CancellationToken.None);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return Read(document.RootElement, fallback);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return new ImportProblem(OperationOutcome.IssueType.Processing, fallback + ".");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static ImportProblem Read(JsonElement outcome, string fallback)
    {
        var issue = outcome.ValueKind == JsonValueKind.Object && outcome.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array
            && issues.GetArrayLength() > 0 ? issues[0] : default;
        if (issue.ValueKind != JsonValueKind.Object)
        {
            return new ImportProblem(OperationOutcome.IssueType.Processing, fallback + ".");
        }
        var code = Text(issue, "code") is { } literal && EnumUtility.ParseLiteral<OperationOutcome.IssueType>(literal) is { } parsed
            ? parsed : OperationOutcome.IssueType.Processing;
        var text = Text(issue, "diagnostics")
            ?? (issue.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object ? Text(details, "text") : null);
        var expression = issue.TryGetProperty("expression", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
            && e[0].ValueKind == JsonValueKind.String ? e[0].GetString() : null;
        return new ImportProblem(code, text is null ? fallback + "." : $"{fallback}: {text}", expression);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
