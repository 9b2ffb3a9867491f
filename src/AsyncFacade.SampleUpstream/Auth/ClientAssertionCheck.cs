using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>
/// Checks a SMART Backend Services client assertion (RFC 7523 §3) with the registered public JWK(S), without a JWT
/// library: RS384 (PKCS#1 v1.5) or ES384 (P-384, IEEE P1363 signature) only, iss = sub = client_id, aud = this token
/// endpoint's URL, exp in the future and at most five minutes ahead, jti used once.
/// </summary>
internal sealed class ClientAssertionCheck(TimeProvider time)
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, DateTimeOffset> seenJti = new(StringComparer.Ordinal);

    /// <returns>Null when the assertion is valid; else the error_description.</returns>
    public string? Verify(string assertion, string clientId, string? publicKeys, string tokenUrl)
    {
        if (string.IsNullOrEmpty(publicKeys))
        {
            return "This client has no public key registered (SampleUpstream:Auth:PublicKey).";
        }
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "client_assertion is not a signed JWT.";
        }
        try
        {
            using var header = JsonDocument.Parse(Decode(parts[0]));
            using var payload = JsonDocument.Parse(Decode(parts[1]));
            var alg = Text(header.RootElement, "alg");
            if (alg is not ("RS384" or "ES384"))
            {
                return "client_assertion must be signed with RS384 or ES384.";
            }
            var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!Keys(publicKeys, Text(header.RootElement, "kid")).Any(key => Verifies(key, alg, data, Decode(parts[2]))))
            {
                return "The assertion's signature does not verify with the registered key.";
            }
            return Claims(payload.RootElement, clientId, tokenUrl);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException or InvalidOperationException)
        {
            return "client_assertion or SampleUpstream:Auth:PublicKey could not be read: " + ex.GetType().Name;
        }
    }

    private string? Claims(JsonElement claims, string clientId, string tokenUrl)
    {
        if (Text(claims, "iss") != clientId || Text(claims, "sub") != clientId)
        {
            return "The assertion's iss and sub must both be the client_id.";
        }
        var aud = claims.TryGetProperty("aud", out var a) ? a : default;
        var audiences = aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(v => v.GetString()) : [aud.ValueKind == JsonValueKind.String ? aud.GetString() : null];
        if (!audiences.Contains(tokenUrl))
        {
            return $"The assertion's aud must be this token endpoint's URL ({tokenUrl}).";
        }
        var now = time.GetUtcNow();
        if (!claims.TryGetProperty("exp", out var e) || !e.TryGetInt64(out var seconds))
        {
            return "The assertion must carry exp.";
        }
        var exp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (exp + Skew <= now || exp > now + MaxLifetime + Skew)
        {
            return "The assertion's exp must be in the future and at most five minutes ahead.";
        }
        if (Text(claims, "jti") is not { Length: > 0 } jti || !seenJti.TryAdd(clientId + " " + jti, exp + Skew))
        {
            return "The assertion needs a jti that has not been used before.";
        }
        foreach (var (key, until) in seenJti)
        {
            if (until < now)
            {
                seenJti.TryRemove(key, out _);
            }
        }
        return null;
    }

    private static IEnumerable<JsonElement> Keys(string json, string? kid)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var keys = root.TryGetProperty("keys", out var list) ? list.EnumerateArray().Select(k => k.Clone()).ToList() : [root.Clone()];
        // A kid picks its key; without one every registered key is tried.
        return kid is null ? keys : keys.Where(k => Text(k, "kid") is null || Text(k, "kid") == kid).ToList();
    }

    private static bool Verifies(JsonElement jwk, string alg, byte[] data, byte[] signature)
    {
        switch (Text(jwk, "kty"), alg)
        {
            case ("RSA", "RS384"):
                using (var rsa = RSA.Create(new RSAParameters { Modulus = Decode(Text(jwk, "n")!), Exponent = Decode(Text(jwk, "e")!) }))
                {
                    return rsa.VerifyData(data, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
                }
            case ("EC", "ES384") when Text(jwk, "crv") == "P-384":
                using (var ec = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP384,
                    Q = new ECPoint { X = Decode(Text(jwk, "x")!), Y = Decode(Text(jwk, "y")!) },
                }))
                {
                    return ec.VerifyData(data, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            default:
                return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
