namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>Whether the upstream requires a bearer token, and how it issues and expires tokens. Bound from `SampleUpstream:Auth`.</summary>
public sealed class AuthQuirks
{
    /// <summary>
    /// Every FHIR route, `/metadata` included, needs a bearer token from the sample's own token endpoint
    /// (`{base}/auth/token`, advertised in `{base}/.well-known/smart-configuration`). Off: no auth, as before.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>How long an issued token is accepted (expires_in); tests use 2 s to see renewals during one export.</summary>
    public int TokenLifetimeSeconds { get; set; } = 300;

    /// <summary>The one registered client.</summary>
    public string ClientId { get; set; } = "asyncfacade";

    /// <summary>Its secret for client_secret_basic / client_secret_post; unset: secrets are refused.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Its public key(s) for private_key_jwt (RS384 or ES384), as a JWK or a JWKS; unset: assertions are refused.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>); cite the source of each setting.</summary>
    /// <remarks>
    /// No profile turns auth on: the facade's suite runs each profile without credentials, and a test that wants auth
    /// sets `SampleUpstream:Auth:Required` with a client of its own. What the real servers offer a backend client, for
    /// the README's compatibility table:
    /// - Medplum: client_credentials with a client secret (Basic or in the form) and private_key_jwt client assertions;
    ///   tokens live one hour. Source: medplum docs "Client Credentials" (docs/auth/methods/client-credentials) and
    ///   packages/server/src/oauth/token.ts (`client_assertion_type` handling).
    /// - HAPI FHIR JPA: no token endpoint of its own; auth is an interceptor in front of an external OAuth server
    ///   (hapi-fhir docs "Security: Authorization Interceptor").
    /// - Microsoft FHIR server: tokens from Microsoft Entra ID (client_credentials with a secret or certificate), or
    ///   its bundled development identity provider; SMART Backend Services is not implemented (microsoft/fhir-server
    ///   docs/SMARTonFHIR.md).
    /// - Firely Server: SMART on FHIR with an external authorization server (Firely Auth supports client_credentials
    ///   with a secret and private_key_jwt) (docs.fire.ly, "Firely Auth: client registration").
    /// - Aidbox: client_credentials with a secret (Basic), tokens configured per client (docs.aidbox.app "Client
    ///   Credentials Grant").
    /// </remarks>
    internal void ApplyProfile(string profile)
    {
        switch (profile)
        {
            default:
                break;
        }
    }
}
