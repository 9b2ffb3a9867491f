namespace AsyncFacade.Server.Export.Paging;

/// <summary>What one step of a search gave: a page written (more to come, or the last), or why it stopped.</summary>
internal abstract record PageOutcome
{
    /// <summary>A page was written; <see cref="Cursor"/> says where the next one is.</summary>
    public sealed record Page(SearchCursor Cursor) : PageOutcome;

    /// <summary>The search is done (its last page, if any, written).</summary>
    public sealed record End(SearchCursor Cursor) : PageOutcome;

    /// <summary>
    /// The upstream refused the search for good: a 4xx (<paramref name="Status"/>, with the upstream's own reason), or a page
    /// it will always send the same way (not a Bundle, too large, the wrong type; no status). Not worth retrying.
    /// </summary>
    /// <param name="FirstPage">It refused the search itself, not a later page (the type cannot be searched as asked).</param>
    public sealed record Refused(string Url, int? Status, string Reason, bool FirstPage, SearchCursor Cursor) : PageOutcome;

    /// <summary>Unreachable, 429/5xx or pages cut off, still so after the retry budget: a later export may well succeed.</summary>
    public sealed record Transient(string Url, string Reason, SearchCursor Cursor) : PageOutcome;
}
