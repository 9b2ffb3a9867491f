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
    /// Next links on a path other than the one searched (a system-level path such as Aidbox's or Firely's), carrying the
    /// search's parameters and an offset: a client that rebuilds links from its own request instead of following them breaks.
    /// </summary>
    OtherPath,
}
