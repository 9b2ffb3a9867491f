using System.Globalization;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Turns a kick-off into upstream searches, one type at a time (multi-type `_type` searches are often broken or slow
/// upstream). Every search is bounded by `_lastUpdated=le{transactionTime}`, so the export is a consistent cut,
/// and pages by the upstream's own `next` links: never by offset.
/// </summary>
internal static class ExportPlan
{
    public static IReadOnlyList<string> Types(ExportRequest request, UpstreamCapabilities upstream)
    {
        var candidates = request.Level == ExportLevel.System ? upstream.SearchableTypes : upstream.PatientCompartmentTypes;
        return request.Types.Count == 0
            ? [.. candidates]
            : [.. request.Types.Where(candidates.Contains).Order(StringComparer.Ordinal)];
    }

    /// <summary>Several `_typeFilter` queries for a type are ORed: one search each (the unit drops duplicates). None: one plain search.</summary>
    public static IReadOnlyList<string> Filters(string type, ExportRequest request) =>
        request.TypeFilters.Where(f => f.Type == type).Select(f => f.Query).DefaultIfEmpty("").ToList();

    /// <summary>The kick-off's time window: after `_since` (if any), up to `_until` or the transaction time, whichever is earlier.</summary>
    public static (DateTimeOffset? After, DateTimeOffset UpTo) Window(ExportRequest request, DateTimeOffset transactionTime) =>
        (request.Since, request.Until is { } until && until < transactionTime ? until : transactionTime);

    /// <summary>One search of <paramref name="type"/> within (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    /// <param name="scope">Extra parameters (`patient=…`, a `_typeFilter` query), or empty.</param>
    public static string Search(string type, string scope, DateTimeOffset? after, DateTimeOffset upTo, int pageSize)
    {
        var query = $"{type}?_count={pageSize}&_lastUpdated={Uri.EscapeDataString("le" + Instant(upTo))}";
        if (after is { } since)
        {
            query += "&_lastUpdated=" + Uri.EscapeDataString("gt" + Instant(since));
        }
        return scope.Length == 0 ? query : query + "&" + scope;
    }

    /// <summary>The `patient=a,b,…` (or `_id=` for Patient itself) scopes for patients in batches of <paramref name="batchSize"/>.</summary>
    public static IEnumerable<string> PatientScopes(string type, IReadOnlyList<string> patients, int batchSize)
    {
        for (var start = 0; start < patients.Count; start += batchSize)
        {
            var batch = string.Join(',', patients.Skip(start).Take(batchSize).Select(Uri.EscapeDataString));
            yield return type == "Patient" ? $"_id={batch}" : $"patient={batch}";
        }
    }

    public static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
