namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>The values of `Upstream:Auth:Mode`.</summary>
public static class UpstreamAuthModes
{
    /// <summary>No credential of the facade's own: pass-through forwards the caller's Authorization (Upstream:ForwardAuthorization).</summary>
    public const string None = "none";

    /// <summary>The static Upstream:BearerToken: nothing to renew, so an expired or revoked token stays refused.</summary>
    public const string Bearer = "bearer";

    /// <summary>OAuth 2.0 client_credentials with a client secret (RFC 6749 §4.4, client_secret_basic or client_secret_post).</summary>
    public const string ClientSecret = "client-secret";

    /// <summary>SMART Backend Services: client_credentials with a signed RS384/ES384 assertion (RFC 7523, private_key_jwt).</summary>
    public const string PrivateKeyJwt = "private-key-jwt";

    public static readonly IReadOnlyList<string> All = [None, Bearer, ClientSecret, PrivateKeyJwt];
}
