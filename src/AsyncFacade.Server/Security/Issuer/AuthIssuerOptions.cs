namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The built-in SMART Backend Services authorization server (client_credentials + private_key_jwt).</summary>
public sealed class AuthIssuerOptions
{
    public const string Section = "Auth:Issuer";

    /// <summary>The shared key both the issuer and the resource server read: the `aud` of access tokens.</summary>
    public const string AudienceKey = "Auth:Audience";

    /// <summary>SMART Backend Services: an access token lives at most five minutes.</summary>
    public const int MaxTokenLifetimeSeconds = 300;

    /// <summary>Off by default: nothing is mapped and no key is made.</summary>
    public bool Enabled { get; set; }

    /// <summary>The `iss` of issued tokens.</summary>
    public string Name { get; set; } = "asyncfacade";

    /// <summary>
    /// Bound from <see cref="AudienceKey"/> (not from this section), so the issuer and the resource server agree on it.
    /// Empty: the FHIR base URL as the token request sees it.
    /// </summary>
    public string? Audience { get; set; }

    public int TokenLifetimeSeconds { get; set; } = MaxTokenLifetimeSeconds;

    /// <summary>PEM RSA private key. Without it: generated once and shared through PostgreSQL when configured, else per process (this node only).</summary>
    public string? SigningKeyFile { get; set; }

    public List<AuthIssuerClient> Clients { get; set; } = [];

    /// <summary>
    /// Token requests one client (as the request names it) may make a minute; beyond, 429 `slow_down`. 0: no limit.
    /// A token lives five minutes, so a well-behaved client asks about once in that time: 60 is generous.
    /// </summary>
    public int TokenRequestsPerMinutePerClient { get; set; } = 60;

    /// <summary>
    /// Who may register clients at run time (POST /auth/clients). Unset: Open when Simulation:Enabled (a reference test
    /// server exists to be used by strangers), else Local. Local, not Open, is the production default because a
    /// registered client can mint tokens: only someone on the server's own machine may add one unless the operator says so.
    /// </summary>
    public ClientRegistrationAccess? Registration { get; set; }

    /// <summary>
    /// The most a self-registered client may be allowed: each scope it asks for must be covered by one of these
    /// (space-separated). Read-only by default, since a registration needs no other credential.
    /// </summary>
    public string RegistrationScopes { get; set; } = "system/*.read";

    /// <summary>At most this many run-time registrations are kept, so the store cannot be filled by a script.</summary>
    public int MaxRegistrations { get; set; } = 100;

    /// <summary>
    /// Hosts a registered JWKS URL may name although they are not public, or over plain http (exact names, "*.domain",
    /// IP literals). Empty: https on public addresses only, so a registration cannot make this server call inside its network.
    /// </summary>
    public List<string> JwksAllowedHosts { get; set; } = [];

    /// <summary>Token requests one address (an IPv6 /64) may make a minute, whatever clients they name. 0: no limit.</summary>
    public int TokenRequestsPerMinutePerAddress { get; set; } = 300;
}
