using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>A registered client as the token endpoint uses it: its verification keys and allowed scopes, parsed once.</summary>
/// <param name="TokenLifetimeSeconds">The client's own access-token lifetime; null: Auth:Issuer:TokenLifetimeSeconds.</param>
/// <param name="JwksUrl">Where <paramref name="Keys"/> were fetched from, for a client registered by JWKS URL (the assertion's jku must match it).</param>
internal sealed record AuthIssuerRegistration(
    string ClientId,
    IReadOnlyList<SecurityKey> Keys,
    IReadOnlyList<string> Scopes,
    int? TokenLifetimeSeconds = null,
    string? JwksUrl = null);
