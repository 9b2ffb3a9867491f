namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>
/// How searches page: link styles, offset caps, sorting, counting, types that refuse search. Bound from
/// `SampleUpstream:Paging`. Defaults are our own friendly server (cursor links, no caps beyond `_count`); the presets in
/// <see cref="ApplyProfile"/> reproduce what real servers document, so the facade can be tested against their paging.
/// </summary>
public sealed class PagingQuirks
{
    /// <summary>
    /// How type-search next links are spelled and what they carry; see <see cref="PagingLinkStyle"/>. <c>$everything</c>
    /// and <c>_history</c> keep cursor links whatever the style.
    /// </summary>
    public PagingLinkStyle LinkStyle { get; set; } = PagingLinkStyle.Cursor;

    /// <summary>
    /// The offset parameter of <see cref="PagingLinkStyle.Offset"/> and <see cref="PagingLinkStyle.OtherPath"/> links:
    /// <c>_offset</c> (Medplum) or <c>_skip</c> (Firely Server).
    /// </summary>
    public string OffsetParameter { get; set; } = "_offset";

    /// <summary>
    /// The deepest offset an <c>_offset</c> or <c>_getpagesoffset</c> may ask for (null: no cap). Past it the search answers
    /// 400 with an OperationOutcome worded as Medplum's ("Search offset exceeds maximum …"), so a client paging by offset
    /// cannot reach the rows beyond it and must split its search (e.g. by <c>_lastUpdated</c>) instead.
    /// </summary>
    public int? MaxOffset { get; set; }

    /// <summary>
    /// With <c>_sort=_lastUpdated</c> (one ascending rule), <c>_count</c> ≥ 20 and no offset, the server pages with
    /// <c>_cursor</c> links (no <see cref="MaxOffset"/>) instead of <see cref="LinkStyle"/>'s links, as Medplum documents for
    /// its cursor pagination; like Medplum it answers 500 "Cursor fails to make progress" when a whole page shares one
    /// millisecond (see <see cref="LastUpdatedBurst"/>).
    /// </summary>
    public bool CursorWhenSorted { get; set; }

    /// <summary>
    /// The <c>_sort</c> values accepted (comma-separated rules each must be one; results are always in <c>_lastUpdated</c>
    /// order, then generation order, whichever is given); any other answers 400 not-supported, unless
    /// <see cref="IgnoreUnknownSort"/>. Configuration adds to this list (a bound list is appended to), a profile replaces it.
    /// </summary>
    public List<string> SortParameters { get; set; } = ["_lastUpdated"];

    /// <summary>
    /// An unaccepted <c>_sort</c> is ignored (results stay in their usual order) instead of answering 400, except under
    /// <c>Prefer: handling=strict</c> (the Microsoft server turns it into a bundle warning when lenient).
    /// </summary>
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

    /// <summary>
    /// <c>_summary=count</c> answers a searchset with <c>total</c> and no entries. Off: <c>_summary</c> is an unknown parameter,
    /// ignored (a full page without total comes back) or, under <c>Prefer: handling=strict</c>, 400.
    /// </summary>
    public bool SummaryCount { get; set; } = true;

    /// <summary>
    /// Whether the CapabilityStatement lists <c>_total</c> as a search parameter; independent of <see cref="Total"/>, because a
    /// server may support it without saying so, or say so without supporting it.
    /// </summary>
    public bool AdvertiseTotal { get; set; } = true;

    /// <summary>
    /// Whether the CapabilityStatement lists `_sort` (and, with <see cref="SummaryCount"/> and <see cref="AdvertiseTotal"/>,
    /// `_summary`). R4 asks servers to list such control parameters; few do, so the profiles of real servers leave them out.
    /// </summary>
    public bool AdvertiseSort { get; set; } = true;

    /// <summary>
    /// Types the CapabilityStatement lists with <c>search-type</c> whose search nevertheless answers 400 invalid,
    /// "Cannot search on {type} resource type" (Medplum: Binary). Reads and writes of those types still work.
    /// </summary>
    public List<string> UnsearchableTypes { get; set; } = [];

    /// <summary>
    /// Types that have no <c>patient</c> or <c>subject</c> search parameter here: the CapabilityStatement leaves them out and
    /// searches treat them as unknown (ignored, or 400 under <c>Prefer: handling=strict</c>), as a lenient server whose
    /// compartment definitions differ would. A client that adds <c>patient=</c> to such a search and trusts the answer gets
    /// every patient's resources; the facade's compartment checks are tested against it.
    /// </summary>
    public List<string> TypesWithoutPatientParameter { get; set; } = [];

    /// <summary>
    /// Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>), including the page size
    /// (<see cref="SampleUpstreamOptions.DefaultPageSize"/> / <see cref="SampleUpstreamOptions.MaxPageSize"/>) on
    /// <paramref name="options"/>; cites the source of each setting.
    /// </summary>
    internal void ApplyProfile(string profile, SampleUpstreamOptions options)
    {
        switch (profile)
        {
            case "medplum":
                // packages/core/src/search/search.ts (medplum/medplum): DEFAULT_SEARCH_COUNT = 20, DEFAULT_MAX_SEARCH_COUNT = 1000;
                // packages/server/src/fhir/search.ts applyCountAndOffsetLimits clamps _count to it silently.
                options.DefaultPageSize = 20;
                options.MaxPageSize = 1000;
                // Same file, getSearchLinks/buildSearchLinksWithOffset: unsorted searches get `_offset=offset+count` next links.
                LinkStyle = PagingLinkStyle.Offset;
                OffsetParameter = "_offset";
                // https://www.medplum.com/docs/search/paginated-search: "Our server supports _offset values up to 10,000";
                // applyCountAndOffsetLimits answers badRequest "Search offset exceeds maximum (got N, max 10000)" past it.
                MaxOffset = 10_000;
                // Same page, "Cursor-based pagination": `_sort=_lastUpdated` gets `_cursor` links with no cap
                // (canUseCursorLinks: no offset, _count >= 20, one ascending _lastUpdated rule); a page all in one
                // millisecond answers 500 "Cursor fails to make progress".
                CursorWhenSorted = true;
                // Medplum sorts on any search parameter (addSortRules); these are the two a bulk client sends. Subset assumed.
                SortParameters = ["_lastUpdated", "_id"];
                // searchImpl counts only for `_total=accurate|estimate`; parseSearchRequest (packages/core/src/search/search.ts)
                // turns `_summary` into total=accurate with count 0.
                Total = TotalSupport.Explicit;
                SummaryCount = true;
                // Assumed: its CapabilityStatement lists SearchParameter resources, and `_total` is not one (not verified).
                AdvertiseTotal = false;
                AdvertiseSort = false; // assumed, as `_total`
                // validateSearchResourceType: badRequest("Cannot search on Binary resource type"), while Binary is listed.
                UnsearchableTypes = ["Binary"];
                break;
            case "hapi":
                // Assumed: hapi-fhir-jpaserver-starter application.yaml defaults default_page_size 20, max_page_size 200
                // (a deployment compose file seen with 50/200); the library's BasePagingProvider itself defaults to 10/50.
                options.DefaultPageSize = 20;
                options.MaxPageSize = 200;
                // hapi-fhir PageMethodBinding: next links `[base]?_getpages={id}&_getpagesoffset={n}&_count={n}&_bundletype=searchset`
                // read a search kept in the database; an unknown id is ResourceGoneException "Search ID … does not exist and may have expired".
                LinkStyle = PagingLinkStyle.PageCache;
                // JpaStorageSettings expireSearchResultsAfterMillis, 1 hour by default (assumed from memory); the stale-search
                // deleter removes searches *created* before the cutoff (ISearchDao.findWhereCreatedBefore).
                PageCacheSeconds = 3600;
                // HAPI sorts on any search parameter; subset assumed. Totals: `_total=accurate` is honoured; HAPI also
                // fills total when a small result is fully loaded, which is not modelled (approximation).
                SortParameters = ["_lastUpdated", "_id"];
                Total = TotalSupport.OnRequest;
                SummaryCount = true;
                AdvertiseTotal = false; // assumed
                AdvertiseSort = false; // assumed
                break;
            case "microsoft":
                // microsoft/fhir-server src/Microsoft.Health.Fhir.Core/Configs/CoreFeatureConfiguration.cs:
                // DefaultItemCountPerSearch = 10, MaxItemCountPerSearch = 1000 (SearchOptionsFactory caps a larger _count
                // and only adds an informational issue).
                options.DefaultPageSize = 10;
                options.MaxPageSize = 1000;
                // KnownQueryParameterNames.ContinuationToken = "ct": next links carry an opaque continuation token.
                LinkStyle = PagingLinkStyle.ContinuationToken;
                // CosmosDbSortingValidator / SearchService: only _lastUpdated sorts by default ("Sorting by the '{0}' parameter
                // is not supported"); SearchOptionsFactory turns such errors into bundle warnings unless handling=strict.
                SortParameters = ["_lastUpdated"];
                IgnoreUnknownSort = true;
                // SearchOptionsFactory: SupportedTotalTypes are accurate and none (estimate is refused; not modelled).
                Total = TotalSupport.OnRequest;
                SummaryCount = true;
                AdvertiseTotal = false; // assumed
                AdvertiseSort = false; // assumed
                break;
            case "firely":
                // Firely Server docs, appsettings "Search size" (BundleOptions): DefaultCount 10, MaxCount 50,
                // DefaultTotal accurate, DefaultSort -_lastUpdated (docs.fire.ly, Firely-Server getting_started/configuration).
                options.DefaultPageSize = 10;
                options.MaxPageSize = 50;
                Total = TotalSupport.Always;
                // Assumed: next links page with `_skip` (hapi-fhir group thread https://groups.google.com/g/hapi-fhir/c/6-Ss__W0w8w:
                // "if you use Vonk it is _skip"); its PagingCache setting (Duration 10 min) is not modelled. No offset cap known.
                LinkStyle = PagingLinkStyle.Offset;
                OffsetParameter = "_skip";
                SortParameters = ["_lastUpdated", "_id"];
                SummaryCount = true;
                AdvertiseTotal = false; // assumed
                AdvertiseSort = false; // assumed
                break;
            case "aidbox":
                // https://www.health-samurai.io/docs/aidbox/api/rest-api/fhir-search: paging by `_page=N` with `_count`.
                LinkStyle = PagingLinkStyle.Page;
                // Assumed page sizes (not found in the docs read).
                options.DefaultPageSize = 100;
                options.MaxPageSize = 1000;
                // https://docs.aidbox.app/api-1/fhir-api/search-1: `_total` "Turn on/off total count", i.e. a total by default.
                Total = TotalSupport.Always;
                SortParameters = ["_lastUpdated", "_id"];
                SummaryCount = true;
                AdvertiseTotal = true; // assumed: the docs list _total among its search parameters
                break;
            default:
                break;
        }
    }
}
