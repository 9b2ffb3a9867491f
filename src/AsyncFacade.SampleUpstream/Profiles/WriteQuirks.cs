namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>How batch and transaction writes answer: empty return=minimal bodies, location-only entries, id rules. Bound from `SampleUpstream:Writes`.</summary>
public sealed class WriteQuirks
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
