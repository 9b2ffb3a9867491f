using System.Text.Json.Serialization;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>RFC 6749 §5.1 successful token response.</summary>
internal sealed record TokenEndpointResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);
