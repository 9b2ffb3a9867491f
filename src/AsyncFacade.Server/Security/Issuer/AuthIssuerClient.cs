namespace AsyncFacade.Server.Security.Issuer;

/// <summary>A registered backend client: its public keys (one source) and the scopes it may be granted.</summary>
public sealed class AuthIssuerClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Inline JWKS JSON with the client's public keys.</summary>
    public string? Jwks { get; set; }

    /// <summary>Path of a JWKS JSON file, read at start.</summary>
    public string? JwksFile { get; set; }

    /// <summary>Space-separated scopes the client may get, e.g. "system/*.read system/Observation.rs".</summary>
    public string Scopes { get; set; } = "";
}
