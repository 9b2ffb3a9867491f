using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// An authorization server in a few lines, as <see cref="AuthTests"/> does it: `Auth:*` settings trusting one HS256 `oct`
/// key, and tokens signed with it carrying `client_id`, `scope`, `aud` and `exp`.
/// </summary>
public sealed class TestTokenIssuer
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "https://facade.test/fhir";

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    public Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:ValidIssuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:TokenEndpoint"] = "https://issuer.test/token",
        ["Auth:Jwks"] = $$"""{"keys":[{"kty":"oct","kid":"test","alg":"HS256","k":"{{Base64UrlEncoder.Encode(key)}}"}]}""",
    };

    public string Token(string clientId, string scope, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["client_id"] = clientId, ["scope"] = scope, ["sub"] = clientId },
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = "test" }, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>A raw client of <paramref name="app"/> that sends <paramref name="token"/> on every request.</summary>
    public static HttpClient ClientWith(Infrastructure.FacadeApplication app, string token)
    {
        var http = app.CreateRawClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
