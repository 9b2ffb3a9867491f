using AsyncFacade.SampleUpstream.Profiles;

namespace AsyncFacade.SampleUpstream;

public sealed class SampleUpstreamOptions
{
    public const string Section = "SampleUpstream";

    /// <summary>Number of generated patients; every other generated type scales with it.</summary>
    public int Patients { get; set; } = 1000;

    /// <summary>Seed for the deterministic generator: the same seed gives byte-identical data.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Where the sample FHIR API is mapped inside the host.</summary>
    public string BasePath { get; set; } = "/upstream/fhir";

    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Larger `_count` values are silently capped, as real servers do.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// Time every request takes at least (ms), as a real server's network round trip and database work would; 0
    /// answers at once. Benchmarks compare clients under realistic latency, and tests use it to catch a job midway.
    /// </summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>Check written resources with Firely's deserializer (off: only JSON + resourceType are checked).</summary>
    public bool ValidateResources { get; set; } = true;

    /// <summary>
    /// Faults injected into every request that has no `X-Upstream-Fault` header of its own, in the same grammar
    /// (see <see cref="Faults.FaultPlan"/>), e.g. `429;p=0.05;retry-after=1`. Empty: none.
    /// </summary>
    public string? Faults { get; set; }

    /// <summary>
    /// A named behaviour profile of a real server (<see cref="UpstreamProfiles.Names"/>): presets for the quirk
    /// sections below, applied before they are bound, so a single quirk can still be set on top of a profile.
    /// </summary>
    public string? Profile { get; set; }

    public PagingQuirks Paging { get; set; } = new();

    public WriteQuirks Writes { get; set; } = new();

    public HistoryQuirks History { get; set; } = new();

    public AuthQuirks Auth { get; set; } = new();
}
