namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>Which history interactions exist (type and system _history). Bound from `SampleUpstream:History`.</summary>
public sealed class HistoryQuirks
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
