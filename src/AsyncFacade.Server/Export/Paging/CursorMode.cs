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

    /// <summary>The search has no more pages.</summary>
    End,
}
