namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>When a searchset carries <c>Bundle.total</c> (<see cref="PagingQuirks.Total"/>).</summary>
public enum TotalSupport
{
    /// <summary>Only when asked: <c>_total=accurate|estimate</c> or <c>_count=0</c>. Our default.</summary>
    OnRequest,

    /// <summary>Only for <c>_total=accurate|estimate</c>; <c>_count=0</c> alone gives no total (Medplum counts only when asked).</summary>
    Explicit,

    /// <summary>On every searchset unless <c>_total=none</c> (Firely Server's <c>DefaultTotal: accurate</c>, Aidbox).</summary>
    Always,

    /// <summary>Never, whatever is asked (<c>_total</c> is accepted and ignored); only <c>_summary=count</c> may still count.</summary>
    Never,
}
