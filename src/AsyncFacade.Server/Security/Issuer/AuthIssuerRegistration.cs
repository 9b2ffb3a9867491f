using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>A registered client as the token endpoint uses it: its verification keys and allowed scopes, parsed once.</summary>
internal sealed record AuthIssuerRegistration(
    string ClientId,
    IReadOnlyList<SecurityKey> Keys,
    IReadOnlyList<string> Scopes);
