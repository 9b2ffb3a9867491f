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

    /// <param name="patient">A `patient` claim (SMART launch context), or none.</param>
    /// <param name="fhirUser">A `fhirUser` claim, or none.</param>
    public string Token(string clientId, string scope, DateTime? expires = null, string? patient = null, string? fhirUser = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = Claims(clientId, scope, patient, fhirUser),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = "test" }, SecurityAlgorithms.HmacSha256),
        });

    private static Dictionary<string, object> Claims(string clientId, string scope, string? patient, string? fhirUser)
    {
        var claims = new Dictionary<string, object> { ["client_id"] = clientId, ["scope"] = scope, ["sub"] = clientId };
        if (patient is not null)
        {
            claims["patient"] = patient;
        }
        if (fhirUser is not null)
        {
            claims["fhirUser"] = fhirUser;
        }
        return claims;
    }

    /// <summary>A raw client of <paramref name="app"/> that sends <paramref name="token"/> on every request.</summary>
    public static HttpClient ClientWith(Infrastructure.FacadeApplication app, string token)
    {
        var http = app.CreateRawClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
