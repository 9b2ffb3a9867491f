using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// A client's JWKS reduced to the keys that can verify an RS384 or ES384 client assertion (SMART Backend Services
/// allows only these two). Keys for other uses or algorithms are skipped; a key with private parts, or a symmetric
/// one, makes the whole set invalid, because whoever published it has leaked a secret.
/// </summary>
internal static class ClientAssertionKeys
{
    // Below 2048 bits RSA is no longer considered safe (NIST SP 800-131A).
    private const int MinRsaBits = 2048;
    private static readonly string[] PrivateRsaMembers = ["d", "p", "q", "dp", "dq", "qi"];

    /// <summary>The usable public keys, or null with the reason in <paramref name="error"/>.</summary>
    public static IReadOnlyList<SecurityKey>? Parse(string json, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            error = "is not valid JSON";
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                error = "must be a JWKS object with a \"keys\" array";
                return null;
            }
            var usable = new List<SecurityKey>();
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                var parsed = ParseKey(key, out error);
                if (error is not null)
                {
                    error = $"key {index} {error}";
                    return null;
                }
                if (parsed is not null)
                {
                    usable.Add(parsed);
                }
                index++;
            }
            if (usable.Count == 0)
            {
                error = "holds no public key usable for RS384 (RSA, at least 2048 bits) or ES384 (EC P-384)";
                return null;
            }
            error = null;
            return usable;
        }
    }

    private static SecurityKey? ParseKey(JsonElement key, out string? error)
    {
        error = null;
        if (key.ValueKind != JsonValueKind.Object)
        {
            error = "is not a JSON object";
            return null;
        }
        var kty = Member(key, "kty");
        if (kty == "oct")
        {
            error = "is a symmetric (oct) key; register public keys only";
            return null;
        }
        if (kty == "RSA" && PrivateRsaMembers.Any(m => key.TryGetProperty(m, out _)) || kty == "EC" && key.TryGetProperty("d", out _))
        {
            error = "holds private key parts; register the public key only";
            return null;
        }
        var use = Member(key, "use");
        var alg = Member(key, "alg");
        if (use is not null && use != "sig")
        {
            return null;
        }
        try
        {
            return (kty, alg) switch
            {
                ("RSA", null or SecurityAlgorithms.RsaSha384) => RsaKey(key, out error),
                ("EC", null or SecurityAlgorithms.EcdsaSha384) when Member(key, "crv") == "P-384" => EcKey(key),
                _ => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            error = "is not a valid public key";
            return null;
        }
    }

    private static RsaSecurityKey? RsaKey(JsonElement key, out string? error)
    {
        var rsa = new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(Member(key, "n") ?? throw new FormatException()),
            Exponent = Base64UrlEncoder.DecodeBytes(Member(key, "e") ?? throw new FormatException()),
        };
        var bits = rsa.Modulus.SkipWhile(b => b == 0).Count() * 8;
        if (bits < MinRsaBits)
        {
            error = $"is an RSA key of {bits} bits; at least {MinRsaBits} are required";
            return null;
        }
        error = null;
        return new RsaSecurityKey(rsa) { KeyId = Member(key, "kid") };
    }

    private static ECDsaSecurityKey EcKey(JsonElement key)
    {
        // ECDsa.Create checks that the point is on the curve, so a tampered key fails here and not at first use.
        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP384,
            Q = new ECPoint
            {
                X = Base64UrlEncoder.DecodeBytes(Member(key, "x") ?? throw new FormatException()),
                Y = Base64UrlEncoder.DecodeBytes(Member(key, "y") ?? throw new FormatException()),
            },
        });
        return new ECDsaSecurityKey(ecdsa) { KeyId = Member(key, "kid") };
    }

    private static string? Member(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
