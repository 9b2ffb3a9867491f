namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>How a search's <c>next</c> links are spelled and what state they carry (<see cref="PagingQuirks.LinkStyle"/>).</summary>
public enum PagingLinkStyle
{
    /// <summary>An opaque, MAC'd <c>_cursor=</c> on the same path: keyset paging, stable under writes, no cap. Our default.</summary>
    Cursor,

    /// <summary>
    /// <c>_offset=N</c> with <c>_count</c> on the same path (Medplum's default and many others'): real offset paging, so a
    /// write between two pages shifts the rows after it and <see cref="PagingQuirks.MaxOffset"/> can cap how deep it goes.
    /// </summary>
    Offset,

    /// <summary>An opaque <c>ct=</c> continuation token on the same path, as the Microsoft FHIR server emits.</summary>
    ContinuationToken,

    /// <summary>
    /// HAPI JPA style: next links at the base URL,
    /// <c>?_getpages={searchId}&amp;_getpagesoffset={n}&amp;_count={n}&amp;_bundletype=searchset</c>, served from a result set the
    /// server cached when the search ran (later writes are not seen) that expires after <see cref="PagingQuirks.PageCacheSeconds"/>.
    /// </summary>
    PageCache,

    /// <summary>
    /// <c>_page=N</c> (1-based) with <c>_count</c> on the same path, as Aidbox pages: offset paging by page number, so the
    /// same shifting under writes and the same <see cref="PagingQuirks.MaxOffset"/> (on <c>(N - 1) × _count</c>).
    /// </summary>
    Page,

    /// <summary>
    /// Next links on a path other than the one searched: <c>{base}/MultipleTypes?_type={type}&amp;…&amp;_offset=N</c>, as Medplum
    /// spells the links of a system search with <c>_type</c> (its router parses such a search as the pseudo type
    /// "MultipleTypes" and builds links from that name; medplum/medplum packages/fhir-router/src/fhirrouter.ts and
    /// packages/server/src/fhir/search.ts <c>getSearchUrl</c>). Offset paging otherwise. The sample upstream serves that path, so
    /// a client that follows links as given pages on; one that checks links stay on the searched type, or rebuilds them, breaks.
    /// </summary>
    OtherPath,
}
