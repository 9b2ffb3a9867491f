using System.Text.Json;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Reads a batch-response / transaction-response into one <see cref="EntryVerdict"/> per request entry. Only a
/// `response.status` is taken at its word (2xx written, anything else failed with the entry's outcome as the reason);
/// every answer that says less (Medplum's empty `return=minimal` body, a Bundle without entries or with the wrong
/// number of them, entries with a location or an outcome but no status) leaves the entry <see cref="EntryState.Unknown"/>,
/// for <see cref="ImportVerifier"/> to settle by reading the resources back.
/// </summary>
internal static class BatchAnswer
{
    public static EntryVerdict[] Read(JsonElement answer, int count, string type)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("resourceType", out var resourceType)
            || resourceType.ValueKind != JsonValueKind.String || resourceType.GetString() != "Bundle")
        {
            return All(count, EntryVerdict.Unknown("the upstream's answer is not a response Bundle"));
        }
        if (!answer.TryGetProperty("entry", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return All(count, EntryVerdict.Unknown("the upstream's answer is a Bundle without entries"));
        }
        if (list.GetArrayLength() != count)
        {
            return All(count, EntryVerdict.Unknown($"the upstream's answer has {list.GetArrayLength()} entries for {count} requests"));
        }
        var verdicts = new EntryVerdict[count];
        var i = 0;
        foreach (var entry in list.EnumerateArray())
        {
            verdicts[i++] = ReadEntry(entry, type);
        }
        return verdicts;
    }

    public static EntryVerdict[] All(int count, EntryVerdict verdict) => Enumerable.Repeat(verdict, count).ToArray();

    private static EntryVerdict ReadEntry(JsonElement entry, string type)
    {
        var response = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var status = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("status", out var s)
            ? s.ValueKind switch { JsonValueKind.String => s.GetString()!.Trim(), JsonValueKind.Number => s.GetRawText(), _ => "" }
            : "";
        var outcome = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("outcome", out var o) ? o : default;
        if (status.Length > 0)
        {
            return status.StartsWith('2')
                ? EntryVerdict.Written
                : new EntryVerdict(EntryState.Failed, UpstreamOutcome.Read(outcome, $"the upstream answered {status}"));
        }
        var location = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String
            ? l.GetString() : null;
        var problem = IsError(outcome) ? UpstreamOutcome.Read(outcome, "the upstream's entry has no status") : null;
        var hint = location is not null ? "the upstream's entry has a location but no status"
            : outcome.ValueKind == JsonValueKind.Object ? "the upstream's entry has an OperationOutcome but no status"
            : "the upstream's entry has no status";
        return EntryVerdict.Unknown(hint, problem, location is null ? null : IdIn(location, type));
    }

    /// <summary>The id in `Patient/123`, `Patient/123/_history/2` or an absolute URL ending so; null when it names no {type}.</summary>
    private static string? IdIn(string location, string type)
    {
        var segments = location.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (segments[i] == type && ResourceId.IsValid(segments[i + 1]))
            {
                return segments[i + 1];
            }
        }
        return null;
    }

    private static bool IsError(JsonElement outcome)
    {
        if (outcome.ValueKind != JsonValueKind.Object || !outcome.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var issue in issues.EnumerateArray())
        {
            if (issue.ValueKind == JsonValueKind.Object && issue.TryGetProperty("severity", out var severity)
                && severity.ValueKind == JsonValueKind.String && severity.GetString() is "error" or "fatal")
            {
                return true;
            }
        }
        return false;
    }
}
