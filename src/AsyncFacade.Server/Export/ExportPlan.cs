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

    /// <param name="patients">Patient ids to restrict to (group members, or the `patient` parameter); null for all.</param>
    public static IEnumerable<ExportSearch> Searches(string type, ExportRequest request, DateTimeOffset transactionTime,
        IReadOnlyList<string>? patients, int pageSize, int patientBatchSize, bool askTotal)
    {
        // Several _typeFilter queries for a type are ORed: one search each (the caller drops duplicates).
        var filters = request.TypeFilters.Where(f => f.Type == type).Select(f => "&" + f.Query).DefaultIfEmpty("").ToList();
        // The total feeds only the time estimate in X-Progress: asked when one search covers the whole type.
        var common = Common(request, transactionTime, pageSize) + (askTotal && patients is null && filters.Count == 1 ? "&_total=accurate" : "");
        foreach (var filter in filters)
        {
            if (patients is null)
            {
                yield return new ExportSearch(type, $"{type}?{common}{filter}");
                continue;
            }
            for (var start = 0; start < patients.Count; start += patientBatchSize)
            {
                var batch = string.Join(',', patients.Skip(start).Take(patientBatchSize).Select(Uri.EscapeDataString));
                var members = type == "Patient" ? $"_id={batch}" : $"patient={batch}";
                yield return new ExportSearch(type, $"{type}?{members}&{common}{filter}");
            }
        }
    }

    private static string Common(ExportRequest request, DateTimeOffset transactionTime, int pageSize)
    {
        var until = request.Until is { } u && u < transactionTime ? u : transactionTime;
        var query = $"_count={pageSize}&_lastUpdated={Uri.EscapeDataString("le" + Instant(until))}";
        if (request.Since is { } since)
        {
            query += "&_lastUpdated=" + Uri.EscapeDataString("gt" + Instant(since));
        }
        return query;
    }

    private static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
