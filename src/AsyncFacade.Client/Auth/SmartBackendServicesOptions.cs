namespace AsyncFacade.Client.Auth;

/// <summary>SMART Backend Services (client_credentials with a signed JWT assertion) credentials.</summary>
public sealed class SmartBackendServicesOptions
{
    /// <summary>The registered client id: `iss` and `sub` of every assertion.</summary>
    public required string ClientId { get; set; }

    /// <summary>The private key: a JWK (or a JWKS holding one key) or PEM text; RSA signs RS384, EC P-384 signs ES384.</summary>
    public required string PrivateKey { get; set; }

    /// <summary>`kid` of the assertion header; defaults to the JWK's own `kid`.</summary>
    public string? KeyId { get; set; }

    public string Scope { get; set; } = "system/*.read";

    /// <summary>The token endpoint; null: discovered from `{base}/.well-known/smart-configuration`.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Lifetime of each assertion (SMART allows at most five minutes).</summary>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(4);
}
