using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security;

/// <summary>A backend client's key pair (RSA for RS384, EC P-384 for ES384): its public JWKS to register, and signed assertions.</summary>
public sealed class AuthIssuerClientKey
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private AuthIssuerClientKey(SecurityKey privateKey, string algorithm, Dictionary<string, string> publicJwk)
    {
        PrivateKey = privateKey;
        Algorithm = algorithm;
        PublicJwk = publicJwk;
    }

    public SecurityKey PrivateKey { get; }

    public string Algorithm { get; }

    public string KeyId => PrivateKey.KeyId;

    public Dictionary<string, string> PublicJwk { get; }

    public string PublicJwks => JsonSerializer.Serialize(new { keys = new[] { PublicJwk } });

    public static AuthIssuerClientKey Rsa()
    {
        var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var kid = Guid.NewGuid().ToString("N");
        return new AuthIssuerClientKey(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384, new()
        {
            ["kty"] = "RSA", ["alg"] = "RS384", ["use"] = "sig", ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        });
    }

    public static AuthIssuerClientKey Es384()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ecdsa.ExportParameters(false);
        var kid = Guid.NewGuid().ToString("N");
        return new AuthIssuerClientKey(new ECDsaSecurityKey(ecdsa) { KeyId = kid }, SecurityAlgorithms.EcdsaSha384, new()
        {
            ["kty"] = "EC", ["crv"] = "P-384", ["alg"] = "ES384", ["kid"] = kid,
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        });
    }

    /// <summary>A client assertion as SMART Backend Services asks for it; <paramref name="claims"/> overrides or removes (null) claims.</summary>
    public string Assertion(string clientId, string audience, IDictionary<string, object?>? claims = null, DateTimeOffset? now = null)
    {
        var issued = now ?? DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = audience,
            ["exp"] = issued.AddMinutes(4).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in claims ?? new Dictionary<string, object?>())
        {
            payload[name] = value;
        }
        return Sign(payload, new SigningCredentials(PrivateKey, Algorithm));
    }

    public static string Sign(IDictionary<string, object?> payload, SigningCredentials credentials) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = payload.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
            SigningCredentials = credentials,
            Subject = new ClaimsIdentity(),
        });
}
