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
    /// sets `SampleUpstream:Auth:Required` with a client of its own. What real servers offer a backend client (for the
    /// README's compatibility table; the facade's client-secret and private-key-jwt modes cover both):
    /// - Medplum: client_credentials with a client secret, `Authorization: Basic` on `/oauth2/token`, tokens of
    ///   `expires_in: 3600` (medplum.com/docs/auth/client-credentials, medplum.com/docs/api/oauth/token), and RFC 7523
    ///   client assertions signed with an RSA or EC P-384 key (medplum.com/docs/auth/client-assertion).
    /// - Microsoft (Azure Health Data Services / Azure API for FHIR): tokens from Microsoft Entra ID; SMART's
    ///   client-confidential-asymmetric (private_key_jwt) is not built in and needs a proxy sample
    ///   (learn.microsoft.com/answers/questions/1509422, learn.microsoft.com/azure/healthcare-apis/azure-api-for-fhir/smart-on-fhir):
    ///   use client-secret mode with Upstream:Auth:TokenUrl set to the Entra token endpoint.
    /// - HAPI FHIR JPA, Firely Server, Aidbox: not looked up in this change.
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
