namespace AsyncFacade.Server.Security.Issuer;

/// <summary>A run-time registration as `POST`/`GET /auth/clients` return it: what a client developer pastes into a client.</summary>
/// <param name="TokenUrl">The token endpoint; also the `aud` of the client's assertions.</param>
/// <param name="FhirBaseUrl">The FHIR base the tokens are for.</param>
/// <param name="Audience">The `aud` of the access tokens issued to the client.</param>
/// <param name="KeyIds">The kids of the registered keys (a JWKS URL client: null, its keys are fetched when it asks for a token).</param>
public sealed record ClientRegistrationResponse(
    string ClientId,
    string? Name,
    string TokenUrl,
    string FhirBaseUrl,
    string Audience,
    string Scopes,
    int TokenLifetimeSeconds,
    string? JwksUrl,
    IReadOnlyList<string?>? KeyIds,
    DateTimeOffset CreatedAt);
