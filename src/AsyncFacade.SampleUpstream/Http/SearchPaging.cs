using System.Globalization;
using AsyncFacade.SampleUpstream.Profiles;
using AsyncFacade.SampleUpstream.Search;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Pages a type search the way <see cref="PagingQuirks"/> says a real server does: reads the request's paging
/// parameter, finds where the page starts, and spells the self and next links in the configured
/// <see cref="PagingLinkStyle"/>. Every style pages the same matches in the same order, so following next links
/// visits each once while nothing is written.
/// </summary>
internal sealed class SearchPaging(PageCollector pages, CursorCodec cursors, PageCache cache, IOptions<SampleUpstreamOptions> options)
{
    /// <summary>The pseudo type of <see cref="PagingLinkStyle.OtherPath"/> links.</summary>
    public const string OtherPath = "MultipleTypes";

    private PagingQuirks Quirks => options.Value.Paging;

    /// <summary>Handles a paging or sorting parameter of a type search; false when <paramref name="name"/> is not one.</summary>
    public bool TryRead(string name, string value, bool strict, PagingRequest request, out FhirError? error)
    {
        error = null;
        var style = Quirks.LinkStyle;
        if ((style is PagingLinkStyle.Offset or PagingLinkStyle.OtherPath) && name == Quirks.OffsetParameter)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                error = FhirError.Invalid($"{name} must be a non-negative integer, not '{value}'.");
                return true;
            }
            (request.OffsetText, request.Offset) = (value, offset);
            return true;
        }
        if (style == PagingLinkStyle.Page && name == "_page")
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                error = FhirError.Invalid($"_page must be a positive integer, not '{value}'.");
                return true;
            }
            request.PageNumber = number;
            return true;
        }
        if (style == PagingLinkStyle.ContinuationToken && name == "ct")
        {
            request.Token = value;
            return true;
        }
        switch (name)
        {
            case "_sort":
                var rules = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var unsupported = Array.Find(rules, rule => !Quirks.SortParameters.Contains(rule, StringComparer.Ordinal));
                if (unsupported is not null || rules.Length == 0)
                {
                    // Ignored (lenient) like the Microsoft server does, or refused; results keep their one order either way.
                    if (!Quirks.IgnoreUnknownSort || strict)
                    {
                        error = FhirError.NotSupported($"_sort={value} is not supported; results are always in _lastUpdated order (accepted: {string.Join(", ", Quirks.SortParameters)}).");
                    }
                    return true;
                }
                request.SortedByLastUpdated = rules is ["_lastUpdated"];
                return true;
            case "_total":
                if (value is not ("none" or "estimate" or "accurate"))
                {
                    error = FhirError.Invalid($"_total must be none, estimate or accurate, not '{value}'.");
                    return true;
                }
                request.Total = value;
                return true;
            case "_summary" when value == "count" && Quirks.SummaryCount:
                request.SummaryCount = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the page carries Bundle.total, per <see cref="PagingQuirks.Total"/>.</summary>
    public bool WantsTotal(PagingRequest request, int count)
    {
        var asked = request.Total is "accurate" or "estimate";
        return request.SummaryCount || Quirks.Total switch
        {
            TotalSupport.OnRequest => asked || count == 0,
            TotalSupport.Explicit => asked,
            TotalSupport.Always => request.Total != "none",
            _ => false,
        };
    }

    /// <summary>Collects the page a type search asks for. <paramref name="path"/> is the path it came on (the type, or <see cref="OtherPath"/>).</summary>
    public FhirError? Page(string baseUrl, string type, string path, QueryParameters query, PagingRequest request, SearchPlan plan, int count, out SearchPage? page)
    {
        page = null;
        IReadOnlyList<SearchPlan> parts = [plan];
        var context = $"search/{type}";
        var total = WantsTotal(request, count);
        if (request.SummaryCount)
        {
            count = 0;
        }
        var style = Quirks.LinkStyle;
        // Medplum pages `_sort=_lastUpdated` with cursors when the page holds at least 20 and no offset is asked
        // (packages/server/src/fhir/search.ts, canUseCursorLinks); a `_cursor` link keeps that going.
        var medplumCursor = Quirks.CursorWhenSorted && request.SortedByLastUpdated && count >= 20 && request.Offset is null or 0 && request.PageNumber is null or 1;
        if (query.Cursor is not null || medplumCursor || style == PagingLinkStyle.Cursor)
        {
            if (!TryStart(query.Cursor, context, out var start))
            {
                return FhirError.Invalid("The _cursor is not valid for this search; start again from the first page.");
            }
            Collect(parts, start, count, total, out var items, out var next, out var totalValue);
            if (medplumCursor && Stalls(parts, items, next))
            {
                // Medplum's cursor is "lastUpdated ≥ the next row's instant, minus this page's ids at that instant": when a
                // whole page shares one millisecond it cannot move on and answers 500 "Cursor fails to make progress"
                // (packages/server/src/fhir/search.ts, getSearchLinks).
                return new FhirError(StatusCodes.Status500InternalServerError, "exception", "Cursor fails to make progress");
            }
            var nextUrl = next is { } cursor ? query.Link(baseUrl, path, "_cursor", cursors.Encode(cursor, context)) : null;
            page = new SearchPage("searchset", totalValue, query.Link(baseUrl, path, "_cursor", query.Cursor), nextUrl, items, []);
            return null;
        }
        if (style == PagingLinkStyle.ContinuationToken)
        {
            if (!TryStart(request.Token, "ct/" + context, out var start))
            {
                return FhirError.Invalid("The continuation token (ct) is not valid for this search.");
            }
            Collect(parts, start, count, total, out var items, out var next, out var totalValue);
            var nextUrl = next is { } cursor ? query.Link(baseUrl, path, "ct", cursors.Encode(cursor, "ct/" + context)) : null;
            page = new SearchPage("searchset", totalValue, query.Link(baseUrl, path, "ct", request.Token), nextUrl, items, []);
            return null;
        }
        if (style == PagingLinkStyle.PageCache)
        {
            Collect(parts, PageCursor.Start, count, total, out var items, out var next, out var totalValue);
            var nextUrl = next is null ? null : PageCacheLink(baseUrl, cache.Add(parts, total).Id, count, count);
            page = new SearchPage("searchset", totalValue, query.Link(baseUrl, path, "_cursor", null), nextUrl, items, []);
            return null;
        }
        var offset = style == PagingLinkStyle.Page ? ((request.PageNumber ?? 1) - 1) * count : request.Offset ?? 0;
        if (CheckOffset(offset) is { } tooDeep)
        {
            return tooDeep;
        }
        OffsetPage(parts, offset, count, total, out var offsetItems, out var hasNext, out var offsetTotal);
        string self, nextLink;
        if (style == PagingLinkStyle.Page)
        {
            var number = request.PageNumber ?? 1;
            self = query.Link(baseUrl, path, "_page", request.PageNumber?.ToString(CultureInfo.InvariantCulture));
            nextLink = query.Link(baseUrl, path, "_page", (number + 1).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            KeyValuePair<string, string>? typeFirst = style == PagingLinkStyle.OtherPath ? new("_type", type) : null;
            self = query.Link(baseUrl, path, Quirks.OffsetParameter, request.OffsetText, path == OtherPath ? typeFirst : null);
            nextLink = query.Link(baseUrl, style == PagingLinkStyle.OtherPath ? OtherPath : path, Quirks.OffsetParameter, (offset + count).ToString(CultureInfo.InvariantCulture), typeFirst);
        }
        page = new SearchPage("searchset", offsetTotal, self, hasNext ? nextLink : null, offsetItems, []);
        return null;
    }

    /// <summary>A page of a search kept for <c>_getpages</c> links (HAPI style), served at the base URL.</summary>
    public FhirError? CachedPage(string baseUrl, QueryParameters query, out SearchPage? page)
    {
        page = null;
        var id = query.Last("_getpages");
        var offsetText = query.Last("_getpagesoffset") ?? "0";
        if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return FhirError.Invalid($"_getpagesoffset must be a non-negative integer, not '{offsetText}'.");
        }
        var count = options.Value.DefaultPageSize;
        if (query.Last("_count") is { } countText)
        {
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                return FhirError.Invalid($"_count must be a non-negative integer, not '{countText}'.");
            }
            count = Math.Min(count, options.Value.MaxPageSize);
        }
        if (CheckOffset(offset) is { } tooDeep)
        {
            return tooDeep;
        }
        if (string.IsNullOrEmpty(id) || cache.Find(id) is not { } search)
        {
            // HAPI answers an unknown or expired search with ResourceGoneException (410): "Search ID "…" does not exist and
            // may have expired" (hapi-fhir PageMethodBinding.handlePagingRequest). The issue code is assumed.
            return new FhirError(StatusCodes.Status410Gone, "processing", $"Search ID \"{id}\" does not exist and may have expired");
        }
        OffsetPage(search.Parts, offset, count, search.Total, out var items, out var hasNext, out var totalValue);
        page = new SearchPage("searchset", totalValue, PageCacheLink(baseUrl, search.Id, offset, count), hasNext ? PageCacheLink(baseUrl, search.Id, offset + count, count) : null, items, []);
        return null;
    }

    private static string PageCacheLink(string baseUrl, string id, long offset, int count) =>
        FormattableString.Invariant($"{baseUrl}?_getpages={Uri.EscapeDataString(id)}&_getpagesoffset={offset}&_count={count}&_bundletype=searchset");

    private FhirError? CheckOffset(long offset) =>
        Quirks.MaxOffset is { } max && offset > max
            // Medplum's words (packages/server/src/fhir/search.ts, applyCountAndOffsetLimits): badRequest → 400, code invalid.
            ? FhirError.Invalid(FormattableString.Invariant($"Search offset exceeds maximum (got {offset}, max {max})"))
            : null;

    private void OffsetPage(IReadOnlyList<SearchPlan> parts, long offset, int count, bool total, out List<PageItem> items, out bool hasNext, out long? totalValue)
    {
        items = [];
        hasNext = false;
        totalValue = total ? Count(parts) : null;
        if (count > 0 && pages.Seek(parts, offset) is { } from)
        {
            Collect(parts, from, count, total: false, out items, out var next, out _);
            hasNext = next is not null;
        }
    }

    private void Collect(IReadOnlyList<SearchPlan> parts, PageCursor start, int count, bool total, out List<PageItem> items, out PageCursor? next, out long? totalValue)
    {
        items = new List<PageItem>(Math.Min(count, 1024));
        next = pages.Collect(parts, start, count, items);
        totalValue = total ? Count(parts) : null;
    }

    private bool Stalls(IReadOnlyList<SearchPlan> parts, List<PageItem> items, PageCursor? next) =>
        next is { } cursor && items.Count > 0 && LastUpdated(items[0]) == pages.LastUpdatedAt(parts, cursor);

    private bool TryStart(string? token, string context, out PageCursor start)
    {
        start = PageCursor.Start;
        return token is null || (cursors.TryDecode(token, context, out start) && start.Part == 0);
    }

    private long Count(IReadOnlyList<SearchPlan> parts)
    {
        long sum = 0;
        foreach (var plan in parts)
        {
            sum += pages.Count(plan);
        }
        return sum;
    }

    private static long LastUpdated(PageItem item) => item.Stored?.LastUpdatedMs ?? item.Generated!.LastUpdatedMs(item.Index);
}
