namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>How searches page: link styles, offset caps, sorting, counting, types that refuse search. Bound from `SampleUpstream:Paging`.</summary>
public sealed class PagingQuirks
{
    /// <summary>Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>); cite the source of each setting.</summary>
    internal void ApplyProfile(string profile)
    {
        switch (profile)
        {
            default:
                break;
        }
    }
}
