using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// Owns an upstream search from its first URL to its end, one page per call, its position in a <see cref="SearchCursor"/>
/// the caller checkpoints. It follows the server's next links as given, and when a next link is refused or forgotten
/// (Medplum's 400 past `_offset` 10,000, HAPI's expired `_getpages` 410, any 4xx on a link) it re-queries the rest of
/// the window from the last `_lastUpdated` written, leaving out the ids already written in that millisecond, so nothing
/// is lost or written twice; a millisecond holding more rows than a page is then paged on its own. It needs a search the
/// server sorts by `_lastUpdated` (asked with `_sort` where advertised, and checked entry by entry): otherwise a refused
/// link ends the search, and the completeness check reports what is missing.
/// </summary>
internal sealed class SearchPager(UpstreamClient upstream, ILogger<SearchPager> logger)
{
    /// <summary>Writes one page (the body is the raw upstream response) and returns what the copier found.</summary>
    public delegate Task<BundlePageResult> PageSink(Stream page, PageTrail trail, CancellationToken cancellationToken);

    /// <summary>Fetches and writes the page at <paramref name="cursor"/> of <paramref name="search"/> (a first-page URL relative to the upstream base).</summary>
    public async Task<PageOutcome> NextAsync(string search, UnitPaging? paging, SearchCursor cursor, PageSink sink, CancellationToken cancellationToken)
    {
        while (!cursor.IsEnd)
        {
            var url = UrlOf(search, paging, cursor);
            // A query the pager built itself starts at a millisecond it has partly written: those rows are left out.
            var written = cursor.Mode is CursorMode.After or CursorMode.Instant or CursorMode.Probe ? cursor.AtLast : null;
            var fetched = await FetchAsync(url, paging?.Prefer, written, sink, cancellationToken);
            switch (fetched)
            {
                case Fetched.Copied copied:
                    return Advance(cursor, paging, copied.Result, copied.Trail);
                case Fetched.Refused { Status: not null } refused when cursor.Mode == CursorMode.First && AsksSort(paging, cursor) && paging?.SortAdvertised == false:
                    // `_sort` was only tried (not advertised): the strict server refuses it, the search is asked again as it is.
                    ExportLog.SortRefused(logger, url, refused.Reason);
                    cursor = cursor with { SortRefused = true };
                    break;
                case Fetched.Refused refused when cursor.Mode == CursorMode.Link && refused.Status is not null && Recover(cursor) is { } recovered:
                    // A next link the server will not honour any more: the rest of the window is asked for again instead.
                    ExportLog.PagingRecovered(logger, url, refused.Reason, recovered.LastMs ?? 0, recovered.Written);
                    cursor = recovered;
                    break;
                case Fetched.Refused refused:
                    return new PageOutcome.Refused(url, refused.Status, refused.Reason, cursor.Mode == CursorMode.First, cursor);
                case Fetched.Failed { Status: >= 500 } failed when Probe(cursor, paging) is { } probe:
                    // A sorted page the server cannot produce (Medplum: a page all in one millisecond): find that millisecond.
                    ExportLog.PagingProbe(logger, url, failed.Reason, probe.LastMs ?? 0, probe.Written);
                    cursor = probe;
                    break;
                case Fetched.Failed failed:
                    return new PageOutcome.Transient(url, failed.Reason, cursor);
            }
        }
        return new PageOutcome.End(cursor);
    }

    private static string UrlOf(string search, UnitPaging? paging, SearchCursor cursor) => cursor switch
    {
        { Mode: CursorMode.First } => SearchUrls.First(search, AsksSort(paging, cursor)),
        { Mode: CursorMode.Link or CursorMode.Instant, Next: { } next } => next,
        { Mode: CursorMode.Instant, LastMs: { } ms } => SearchUrls.Within(search, ms),
        { Mode: CursorMode.After, LastMs: { } ms } => SearchUrls.From(search, ms),
        { Mode: CursorMode.Probe } => SearchUrls.One(search, cursor.LastMs),
        // Recovering before anything was written: the search starts again.
        _ => SearchUrls.First(search, AsksSort(paging, cursor)),
    };

    private static bool AsksSort(UnitPaging? paging, SearchCursor cursor) => paging?.Sort == true && !cursor.SortRefused;

    /// <summary>The cursor that replaces a refused next link, or null when the search cannot be resumed without risk.</summary>
    private static SearchCursor? Recover(SearchCursor cursor)
    {
        // Unsorted, a bound could skip or repeat rows; no progress since the last recovery, it would loop.
        if (!cursor.Sorted || Stuck(cursor))
        {
            return null;
        }
        return Recovered(cursor, cursor.Written == 0 ? CursorMode.First : CursorMode.After);
    }

    /// <summary>The cursor that looks for the millisecond a sorted page failed on, or null when that is no use.</summary>
    private static SearchCursor? Probe(SearchCursor cursor, UnitPaging? paging)
    {
        var sorted = cursor.Mode == CursorMode.First ? AsksSort(paging, cursor) : cursor.Sorted;
        return sorted && cursor.Mode is CursorMode.First or CursorMode.Link or CursorMode.After && !Stuck(cursor)
            ? Recovered(cursor, CursorMode.Probe) with { Sorted = true }
            : null;
    }

    private static bool Stuck(SearchCursor cursor) =>
        cursor.Recoveries > 0 && cursor.Written == cursor.WrittenAtRecovery && cursor.LastMs == cursor.LastMsAtRecovery;

    private static SearchCursor Recovered(SearchCursor cursor, CursorMode mode) => cursor with
    {
        Mode = mode, Next = null, Recoveries = cursor.Recoveries + 1, WrittenAtRecovery = cursor.Written, LastMsAtRecovery = cursor.LastMs,
    };

    private SearchCursor AdvanceCursor(SearchCursor cursor, UnitPaging? paging, BundlePageResult result, PageTrail trail)
    {
        var sortedBefore = cursor.Mode == CursorMode.First ? AsksSort(paging, cursor) : cursor.Sorted;
        var sorted = sortedBefore && trail.Ascending && (cursor.LastMs is null || trail.FirstMs is null || trail.FirstMs >= cursor.LastMs);
        var (lastMs, atLast) = (cursor.LastMs, cursor.AtLast ?? []);
        if (trail.LastMs is { } last)
        {
            atLast = last == cursor.LastMs ? [.. atLast.Union(trail.IdsAtLast(), StringComparer.Ordinal)] : trail.IdsAtLast();
            lastMs = last;
        }
        var next = SearchUrls.RelativeToBase(upstream.BaseUrl, result.NextUrl);
        var advanced = cursor with
        {
            Written = cursor.Written + result.Copied,
            Sorted = sorted,
            // Unsorted, the bound is of no use: not kept, so the checkpoint stays small.
            LastMs = sorted ? lastMs : null,
            AtLast = sorted ? atLast : null,
        };
        return (cursor.Mode, next) switch
        {
            // From a bound, a whole page at that one millisecond: more rows share it than fit a page, and a bound cannot
            // get past them ("cursor fails to make progress"). That millisecond is paged alone, then the rest from the next.
            (CursorMode.After, not null) when sorted && trail.Matches > 0 && trail.FirstMs == cursor.LastMs && trail.LastMs == cursor.LastMs =>
                advanced with { Mode = CursorMode.Instant, Next = null },
            // The probe's one row names the millisecond the server could not page past: that millisecond alone, then on.
            (CursorMode.Probe, not null) when sorted && advanced.LastMs is not null => advanced with { Mode = CursorMode.Instant, Next = null },
            (CursorMode.Instant, null) when advanced.LastMs is { } ms => advanced with { Mode = CursorMode.After, Next = null, LastMs = ms + 1, AtLast = [] },
            (CursorMode.Instant, not null) => advanced with { Next = next },
            (_, not null) => advanced with { Mode = CursorMode.Link, Next = next },
            _ => advanced with { Mode = CursorMode.End, Next = null },
        };
    }

    private PageOutcome Advance(SearchCursor cursor, UnitPaging? paging, BundlePageResult result, PageTrail trail)
    {
        var next = AdvanceCursor(cursor, paging, result, trail);
        if (cursor.Mode != CursorMode.Instant && next.Mode == CursorMode.Instant)
        {
            ExportLog.PagingBurst(logger, next.LastMs ?? 0, trail.Matches);
        }
        return next.IsEnd ? new PageOutcome.End(next) : new PageOutcome.Page(next);
    }

    private abstract record Fetched
    {
        public sealed record Copied(BundlePageResult Result, PageTrail Trail) : Fetched;

        public sealed record Refused(int? Status, string Reason) : Fetched;

        public sealed record Failed(int? Status, string Reason) : Fetched;
    }

    /// <summary>
    /// One page, copied through <paramref name="sink"/>. A page cut off or garbled on its way is fetched again within the
    /// upstream retry budget: nothing of it was written (the copier validates a whole page before writing).
    /// </summary>
    private async Task<Fetched> FetchAsync(string url, string? prefer, IReadOnlyList<string>? written, PageSink sink, CancellationToken cancellationToken)
    {
        var budget = upstream.NewRetryBudget();
        while (true)
        {
            string failure;
            using (var response = await upstream.TryGetAsync(url, prefer, cancellationToken))
            {
                if (response is null)
                {
                    return new Fetched.Failed(null, "the upstream could not be reached");
                }
                var status = (int)response.StatusCode;
                if (status is >= 400 and < 500 and not 408 and not 429)
                {
                    return new Fetched.Refused(status, await UpstreamRefusal.DescribeAsync(response, cancellationToken));
                }
                if (!response.IsSuccessStatusCode)
                {
                    // The handler pipeline has already retried what 429/5xx it could.
                    return new Fetched.Failed(status, "the upstream answered " + await UpstreamRefusal.DescribeAsync(response, cancellationToken));
                }
                try
                {
                    await using var page = await upstream.ReadBodyAsync(response, cancellationToken);
                    var trail = new PageTrail(written);
                    return new Fetched.Copied(await sink(page, trail, cancellationToken), trail);
                }
                catch (BundlePageException ex) when (ex.Transient)
                {
                    failure = ex.Message;
                }
                catch (BundlePageException ex)
                {
                    return new Fetched.Refused(null, ex.Message);
                }
            }
            if (!await budget.WaitAsync(null, upstream.Time, cancellationToken))
            {
                return new Fetched.Failed(null, $"{failure} It was still failing after {budget.Retries} retries");
            }
        }
    }
}
