namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>
/// How searches page: link styles, offset caps, sorting, counting, types that refuse search. Bound from
/// `SampleUpstream:Paging`. Defaults are our own friendly server (cursor links, no caps beyond `_count`); the presets in
/// <see cref="ApplyProfile"/> reproduce what real servers document, so the facade can be tested against their paging.
/// </summary>
public sealed class PagingQuirks
{
    /// <summary>How next links are spelled and what they carry; see <see cref="PagingLinkStyle"/>.</summary>
    public PagingLinkStyle LinkStyle { get; set; } = PagingLinkStyle.Cursor;

    /// <summary>
    /// The deepest offset an <c>_offset</c> or <c>_getpagesoffset</c> may ask for (null: no cap). Past it the search answers
    /// 400 with an OperationOutcome worded as Medplum's ("Search offset exceeds maximum …"), so a client paging by offset
    /// cannot reach the rows beyond it and must split its search (e.g. by <c>_lastUpdated</c>) instead.
    /// </summary>
    public int? MaxOffset { get; set; }

    /// <summary>
    /// With <c>_sort=_lastUpdated</c> the server pages with cursor links (no <see cref="MaxOffset"/>) instead of
    /// <see cref="LinkStyle"/>'s links, as Medplum documents for its cursor pagination.
    /// </summary>
    public bool CursorWhenSorted { get; set; }

    /// <summary>
    /// The <c>_sort</c> values accepted (results are always in <c>_lastUpdated</c> order whichever is given); any other answers
    /// 400 not-supported, unless <see cref="IgnoreUnknownSort"/>.
    /// </summary>
    public List<string> SortParameters { get; set; } = ["_lastUpdated"];

    /// <summary>An unaccepted <c>_sort</c> is ignored (results stay in their usual order) instead of answering 400.</summary>
    public bool IgnoreUnknownSort { get; set; }

    /// <summary>
    /// <see cref="PagingLinkStyle.PageCache"/> only: a <c>_getpages</c> search id older than this many seconds answers as
    /// HAPI does for an expired search (410 Gone, "Search ID … does not exist and may have expired"). Null: never expires.
    /// </summary>
    public int? PageCacheSeconds { get; set; }

    /// <summary>
    /// Every N consecutive generated resources of a type share one <c>meta.lastUpdated</c> millisecond (still
    /// non-decreasing, so <c>_lastUpdated</c> ranges still map to index ranges): reproduces "more rows in one millisecond
    /// than fit a page", which defeats a client that pages by advancing <c>_lastUpdated=gt…</c>. 1: every resource its own.
    /// </summary>
    public int LastUpdatedBurst { get; set; } = 1;

    /// <summary>When a searchset carries <c>Bundle.total</c>; see <see cref="TotalSupport"/>.</summary>
    public TotalSupport Total { get; set; } = TotalSupport.OnRequest;

    /// <summary><c>_summary=count</c> answers a searchset with <c>total</c> and no entries (off: 400 not-supported).</summary>
    public bool SummaryCount { get; set; } = true;

    /// <summary>
    /// Whether the CapabilityStatement lists <c>_total</c> as a search parameter; independent of <see cref="Total"/>, because a
    /// server may support it without saying so, or say so without supporting it.
    /// </summary>
    public bool AdvertiseTotal { get; set; } = true;

    /// <summary>
    /// Types the CapabilityStatement lists with <c>search-type</c> whose search nevertheless answers 400 (Medplum: Binary,
    /// "Cannot search on Binary resource type").
    /// </summary>
    public List<string> UnsearchableTypes { get; set; } = [];

    /// <summary>
    /// Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>), including the page size
    /// (<see cref="SampleUpstreamOptions.DefaultPageSize"/> / <see cref="SampleUpstreamOptions.MaxPageSize"/>) on
    /// <paramref name="options"/>; cites the source of each setting.
    /// </summary>
    internal void ApplyProfile(string profile, SampleUpstreamOptions options)
    {
        switch (profile)
        {
            default:
                break;
        }
    }
}
