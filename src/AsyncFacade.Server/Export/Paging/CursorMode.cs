namespace AsyncFacade.Server.Export.Paging;

/// <summary>How a search's next page is asked for; see <see cref="SearchCursor"/>.</summary>
public enum CursorMode
{
    /// <summary>The search's first page (with `_sort=_lastUpdated` when the unit sorts).</summary>
    First,

    /// <summary>The server's next link, as given.</summary>
    Link,

    /// <summary>The search again from `_lastUpdated=ge{LastMs}`, leaving out the ids already written at that millisecond.</summary>
    After,

    /// <summary>The millisecond LastMs alone (`ge{ms}` and `lt{ms+1}`), paged by the server's links: more rows share it than fit a page.</summary>
    Instant,

    /// <summary>
    /// One row from LastMs on (`_count=1`, sorted): after a sorted page failed with a 5xx (Medplum's 500 "Cursor fails to
    /// make progress" when a page's rows all share one millisecond), it finds that millisecond, which is then paged alone.
    /// </summary>
    Probe,

    /// <summary>The search has no more pages.</summary>
    End,
}
