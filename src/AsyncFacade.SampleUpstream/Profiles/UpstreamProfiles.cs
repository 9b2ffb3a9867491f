namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>
/// Named behaviour profiles (`SampleUpstream:Profile`): presets of the quirks in <see cref="SampleUpstreamOptions"/>
/// that reproduce what a real FHIR server documents or is seen to do, so the facade's suite can run in front of
/// "Medplum" or "HAPI" without one. Each area's class sets its own part of a profile (<c>ApplyProfile</c>) and cites
/// its sources there. A preset is applied before configuration is bound, so single quirks can still be overridden.
/// </summary>
public static class UpstreamProfiles
{
    /// <summary>Our own friendly server: cursor links, no caps beyond `_count`, every interaction it lists works.</summary>
    public const string Default = "default";

    public static readonly IReadOnlyList<string> Names = [Default, "medplum", "hapi", "microsoft", "firely", "aidbox"];

    public static bool IsKnown(string? name) => name is null || Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static void Apply(string? name, SampleUpstreamOptions options)
    {
        if (string.IsNullOrEmpty(name) || !IsKnown(name))
        {
            return; // the validator names an unknown profile
        }
        var profile = name.ToLowerInvariant();
        options.Paging.ApplyProfile(profile, options);
        options.Writes.ApplyProfile(profile);
        options.History.ApplyProfile(profile);
        options.Auth.ApplyProfile(profile);
    }
}
