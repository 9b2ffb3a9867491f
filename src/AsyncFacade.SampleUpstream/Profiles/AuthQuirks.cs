namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>Whether the upstream requires a bearer token, and how it issues and expires tokens. Bound from `SampleUpstream:Auth`.</summary>
public sealed class AuthQuirks
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
