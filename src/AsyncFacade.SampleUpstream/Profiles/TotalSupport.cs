namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>When a searchset carries <c>Bundle.total</c> (<see cref="PagingQuirks.Total"/>).</summary>
public enum TotalSupport
{
    /// <summary>Only when asked: <c>_total=accurate|estimate</c> or <c>_count=0</c>. Our default.</summary>
    OnRequest,

    /// <summary>Never, whatever is asked (<c>_total</c> is accepted and ignored).</summary>
    Never,
}
