using System.Text.Json;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The body of `POST /auth/clients`: one key source (a JWKS or its URL), the scopes, optionally a name and lifetime.</summary>
/// <param name="Name">A label for people (plain text, at most 100 characters): stored and shown as text, never as markup.</param>
/// <param name="Jwks">The client's public JWKS: a JSON object `{"keys": [...]}` (or that object as a string).</param>
/// <param name="JwksUrl">Where the server fetches the client's JWKS instead (https; SMART Backend Services `jwks_url`).</param>
/// <param name="Scopes">Space-separated scopes the client may be granted, each within the server's registration maximum.</param>
/// <param name="TokenLifetimeSeconds">The access-token lifetime for this client, 1-300 s; default Auth:Issuer:TokenLifetimeSeconds.</param>
public sealed record ClientRegistrationRequest(
    string? Name,
    JsonElement? Jwks,
    string? JwksUrl,
    string? Scopes,
    int? TokenLifetimeSeconds);
