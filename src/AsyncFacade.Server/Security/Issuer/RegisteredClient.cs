namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// A client registered at run time (POST /auth/clients): exactly one of <paramref name="Jwks"/> (the public JWKS JSON,
/// checked when registered) and <paramref name="JwksUrl"/> (fetched when the client asks for a token).
/// </summary>
/// <param name="Name">Plain text chosen by the registrant, shown as text and never as markup.</param>
internal sealed record RegisteredClient(
    string ClientId,
    string? Name,
    string? Jwks,
    string? JwksUrl,
    IReadOnlyList<string> Scopes,
    int TokenLifetimeSeconds,
    DateTimeOffset CreatedAt);
