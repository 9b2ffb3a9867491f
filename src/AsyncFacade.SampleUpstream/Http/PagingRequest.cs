namespace AsyncFacade.SampleUpstream.Http;

/// <summary>What a type search's request says about paging and sorting, collected while its parameters are parsed.</summary>
internal sealed class PagingRequest
{
    /// <summary>The offset parameter's value as given (<c>_offset</c>/<c>_skip</c>), for the self link.</summary>
    public string? OffsetText { get; set; }

    public long? Offset { get; set; }

    public long? PageNumber { get; set; }

    /// <summary>A <c>ct</c> continuation token.</summary>
    public string? Token { get; set; }

    /// <summary>Exactly <c>_sort=_lastUpdated</c> (ascending), the only order a cursor pages in.</summary>
    public bool SortedByLastUpdated { get; set; }

    /// <summary><c>_summary=count</c> was asked and is supported.</summary>
    public bool SummaryCount { get; set; }

    /// <summary>The <c>_total</c> value, if any.</summary>
    public string? Total { get; set; }
}
