using AsyncFacade.Server.Upstream.Credentials;

namespace AsyncFacade.Server.Upstream;

public sealed class UpstreamOptions
{
    public const string Section = "Upstream";

    /// <summary>The synchronous FHIR server's base URL. Empty: the embedded sample upstream is used.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Per-attempt timeout for one upstream call (a slow `$everything` page needs minutes).</summary>
    public int TimeoutSeconds { get; set; } = 120;

    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a failed idempotent call (429, 5xx, timeouts), honouring Retry-After.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The most one upstream call spends waiting between its retries (seconds). A Retry-After that does not fit in
    /// what is left ends the retrying: the export records an error, the job fails with a `transient` outcome.
    /// </summary>
    public int RetryBudgetSeconds { get; set; } = 120;

    /// <summary>The first back-off when the upstream gives no Retry-After (ms); each retry doubles it, with jitter.</summary>
    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>Upstream calls in flight at once from job work (pass-through is not limited).</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>A static credential sent as `Authorization: Bearer` on every upstream call (Upstream:Auth:Mode bearer).</summary>
    public string? BearerToken { get; set; }

    /// <summary>The facade's own upstream credential: a static token or tokens from the upstream's token endpoint.</summary>
    public UpstreamAuthOptions Auth { get; set; } = new();

    /// <summary>Forward the caller's Authorization header on pass-through (ignored when the facade has a credential of its own).</summary>
    public bool ForwardAuthorization { get; set; } = true;

    /// <summary>The facade sends a credential of its own, which replaces the caller's Authorization on every upstream call.</summary>
    public bool HasCredential => Auth.EffectiveMode(BearerToken) != UpstreamAuthModes.None;
}
