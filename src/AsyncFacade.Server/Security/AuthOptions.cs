namespace AsyncFacade.Server.Security;

/// <summary>
/// `Auth`: SMART Backend Services bearer tokens on the FHIR API. Off by default, so the embedded default runs with no
/// set-up. Signing keys come from an OIDC authority (discovery + JWKS), a JWKS (inline or file: RS/ES keys, and `oct`
/// HS256 keys for test set-ups), or the built-in issuer (`Auth:Issuer`).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public bool Enabled { get; set; }

    /// <summary>An OIDC authority: its discovery document gives the issuer, the signing keys and the token endpoint.</summary>
    public string? Authority { get; set; }

    /// <summary>Allows an `http://` authority outside the Development environment (tests, a provider on loopback).</summary>
    public bool AllowHttpAuthority { get; set; }

    /// <summary>How often the authority's discovery document and JWKS are read again: a key it removed stops verifying then.</summary>
    public int MetadataRefreshSeconds { get; set; } = 3600;

    /// <summary>
    /// The least time between two reads the facade asks for itself (a token with an unknown `kid`, a failed read), so
    /// bad tokens cannot make it hammer the authority.
    /// </summary>
    public int MetadataMinimumRefreshSeconds { get; set; } = 300;

    /// <summary>A JWKS document inline (JSON).</summary>
    public string? Jwks { get; set; }

    /// <summary>A JWKS document in a file.</summary>
    public string? JwksFile { get; set; }

    /// <summary>The `iss` tokens must carry (not needed with an authority, which says it itself).</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>The `aud` tokens must carry: usually the facade's FHIR base URL.</summary>
    public string? Audience { get; set; }

    /// <summary>Leeway for `exp`/`nbf` between clocks (SMART servers commonly allow a minute or less).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Manifests list signed, short-lived file URLs that need no token (`requiresAccessToken: false`).</summary>
    public bool SignedFileUrls { get; set; }

    /// <summary>How long a signed file URL works.</summary>
    public int FileUrlLifetimeSeconds { get; set; } = 3600;

    /// <summary>HMAC key for signed file URLs (≥ 32 bytes). Empty: generated once and shared through PostgreSQL when configured, else one per process.</summary>
    public string? FileUrlSigningKey { get; set; }

    /// <summary>The scope a remote `/hangfire` or `/console/jobs` request's token needs (with Jobs:DashboardAllowRemote); local requests need none.</summary>
    public string DashboardScope { get; set; } = "system/*.*";

    /// <summary>
    /// The token endpoint advertised in `.well-known/smart-configuration` when an external server issues tokens; with
    /// `Auth:Authority` it overrides the discovery document's.
    /// </summary>
    public string? TokenEndpoint { get; set; }
}
