namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>
/// How the facade authenticates to the upstream (`Upstream:Auth`). Production FHIR servers hand out short-lived tokens
/// (minutes to an hour) from an OAuth 2.0 token endpoint, and invalidate them when they restart: a static token stops
/// every job at its first expiry, so the token modes get, cache and renew tokens themselves.
/// </summary>
public sealed class UpstreamAuthOptions
{
    /// <summary>none | bearer | client-secret | private-key-jwt. Unset: bearer when Upstream:BearerToken is set, else none.</summary>
    public string? Mode { get; set; }

    /// <summary>The upstream's OAuth token endpoint. Unset: `token_endpoint` of `{Upstream:BaseUrl}/.well-known/smart-configuration`.</summary>
    public string? TokenUrl { get; set; }

    public string? ClientId { get; set; }

    /// <summary>client-secret mode: the secret registered for <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// client-secret mode: `basic` (RFC 6749 §2.3.1 `Authorization: Basic`, which every server must support) or `post`
    /// (client_id and client_secret in the form). Unset: basic, unless the discovered configuration lists only post.
    /// </summary>
    public string? SecretMethod { get; set; }

    /// <summary>private-key-jwt mode: the signing key as a JWK (or one-key JWKS) or PEM text, or the path of a file holding one.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>private-key-jwt mode: `kid` of the assertion header (SMART requires one); defaults to the JWK's own `kid`.</summary>
    public string? KeyId { get; set; }

    /// <summary>private-key-jwt mode: RS384 or ES384; must match the key when set (an RSA key signs RS384, EC P-384 ES384).</summary>
    public string? Algorithm { get; set; }

    /// <summary>
    /// Scopes asked for. Unset: SMART v1 `system/*.read system/*.write` (exports read, imports write), which SMART v2
    /// servers also accept; or `system/*.rs system/*.cud` when the discovered configuration offers permission-v2 only.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>The mode in force, once Upstream:BearerToken is taken into account.</summary>
    public string EffectiveMode(string? bearerToken) =>
        Mode?.Trim().ToLowerInvariant() is { Length: > 0 } mode ? mode : string.IsNullOrEmpty(bearerToken) ? UpstreamAuthModes.None : UpstreamAuthModes.Bearer;

    /// <summary>The key text: inline PEM or JWK as given, else the content of the file it names.</summary>
    public string? ReadPrivateKey()
    {
        var value = PrivateKey?.Trim();
        if (string.IsNullOrEmpty(value) || value.StartsWith('{') || value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return value;
        }
        return File.ReadAllText(value);
    }
}
