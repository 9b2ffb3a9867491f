namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// The few URLs the pager builds itself, all from the unit's own first-page search (never from a server's link, which is
/// followed as given): sorted, bounded below by `_lastUpdated`, one millisecond alone, and the count of the search.
/// Bounds are ANDed onto the unit's window (`le` the transaction time, `gt` `_since` or the slice's start).
/// </summary>
internal static class SearchUrls
{
    private const string SortByLastUpdated = "&_sort=_lastUpdated";

    public static string First(string search, bool sorted) => sorted ? search + SortByLastUpdated : search;

    /// <summary>The rest of the search from millisecond <paramref name="fromMs"/> on (that millisecond included), sorted.</summary>
    public static string From(string search, long fromMs) =>
        search + "&_lastUpdated=" + Uri.EscapeDataString("ge" + ExportPlan.Instant(At(fromMs))) + SortByLastUpdated;

    /// <summary>The first row from millisecond <paramref name="fromMs"/> on (or of the search), sorted: `_count=1`.</summary>
    public static string One(string search, long? fromMs)
    {
        var query = string.Join('&', Parameters(search).Where(p => !p.StartsWith("_count=", StringComparison.Ordinal)));
        var one = $"{Path(search)}?_count=1&{query}";
        return fromMs is { } ms ? From(one, ms) : one + SortByLastUpdated;
    }

    /// <summary>Only the rows of millisecond <paramref name="ms"/>: a burst larger than a page, paged by the server's links.</summary>
    public static string Within(string search, long ms) =>
        search + "&_lastUpdated=" + Uri.EscapeDataString("ge" + ExportPlan.Instant(At(ms))) +
        "&_lastUpdated=" + Uri.EscapeDataString("lt" + ExportPlan.Instant(At(ms + 1)));

    /// <summary>The same search and window, counted with no entries: `_total=accurate&amp;_count=0` or `_summary=count`.</summary>
    public static string Count(string search, bool bySummary)
    {
        var query = string.Join('&', Parameters(search).Where(p => !p.StartsWith("_count=", StringComparison.Ordinal)));
        return $"{Path(search)}?{query}&" + (bySummary ? "_summary=count" : "_count=0&_total=accurate");
    }

    /// <summary>The search's `_lastUpdated` bounds, for a message: "_lastUpdated le2026-…, gt2025-…".</summary>
    public static string Window(string search)
    {
        var bounds = Parameters(search).Where(p => p.StartsWith("_lastUpdated=", StringComparison.Ordinal))
            .Select(p => Uri.UnescapeDataString(p["_lastUpdated=".Length..])).ToList();
        return bounds.Count == 0 ? "no _lastUpdated bounds" : "_lastUpdated " + string.Join(", ", bounds);
    }

    /// <summary>
    /// Links under the upstream's base are kept relative to it: a resumed run (perhaps on another node, or with the
    /// embedded upstream on a new port) resolves them against the base it has now. Others stay absolute, as given.
    /// HAPI's links are on the base itself (`[base]?_getpages=…`): kept as `?_getpages=…`, which resolves to `[base]/?…`.
    /// </summary>
    public static string? RelativeToBase(string baseUrl, string? url) =>
        url is null ? null
        : url.StartsWith(baseUrl + "/", StringComparison.Ordinal) ? url[(baseUrl.Length + 1)..]
        : url.StartsWith(baseUrl + "?", StringComparison.Ordinal) ? url[baseUrl.Length..]
        : url;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Path(string search) => search.Contains('?') ? search[..search.IndexOf('?')] : search;

    private static string[] Parameters(string search) =>
        search.Contains('?') ? search[(search.IndexOf('?') + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries) : [];
}
