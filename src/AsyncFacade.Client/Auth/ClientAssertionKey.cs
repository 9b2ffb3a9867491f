using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.Client.Auth;

/// <summary>
/// A private key that signs client assertions: RS384 (RSA, PKCS#1 v1.5) or ES384 (EC P-384, the IEEE P1363 signature
/// format JWS requires). Read from a JWK, a one-key JWKS, or PEM (PKCS#1, PKCS#8, SEC1).
/// </summary>
internal sealed class ClientAssertionKey : IDisposable
{
    private readonly AsymmetricAlgorithm key;

    private ClientAssertionKey(AsymmetricAlgorithm key, string algorithm, string? keyId)
    {
        this.key = key;
        Algorithm = algorithm;
        KeyId = keyId;
    }

    public string Algorithm { get; }

    public string? KeyId { get; }

    /// <summary>Bits of the RSA modulus or of the EC curve (a key too weak for the token endpoint can be refused before use).</summary>
    public int KeySize => key.KeySize;

    public static ClientAssertionKey Parse(string text, string? keyId)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            return FromJwk(trimmed, keyId);
        }
        if (trimmed.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return FromPem(trimmed, keyId);
        }
        throw new ArgumentException("The private key must be a JWK (JSON) or PEM text.");
    }

    public string Sign(IReadOnlyDictionary<string, object> claims)
    {
        var header = new Dictionary<string, string> { ["alg"] = Algorithm, ["typ"] = "JWT" };
        if (KeyId is not null)
        {
            header["kid"] = KeyId;
        }
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = key switch
        {
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new InvalidOperationException("Unsupported key."),
        };
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose() => key.Dispose();

    private static ClientAssertionKey FromJwk(string json, string? keyId)
    {
        using var document = JsonDocument.Parse(json);
        var jwk = document.RootElement;
        if (jwk.TryGetProperty("keys", out var keys))
        {
            var list = keys.EnumerateArray().ToList();
            jwk = list.Count == 1 ? list[0] : throw new ArgumentException($"The JWKS holds {list.Count} keys; give one.");
        }
        string Member(string name) => jwk.TryGetProperty(name, out var v) && v.GetString() is { } s ? s : throw new ArgumentException($"The JWK has no '{name}'.");
        byte[] Bytes(string name) => Base64UrlDecode(Member(name));
        var kid = keyId ?? (jwk.TryGetProperty("kid", out var k) ? k.GetString() : null);
        switch (Member("kty"))
        {
            case "RSA":
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters
                {
                    Modulus = Bytes("n"), Exponent = Bytes("e"), D = Bytes("d"), P = Bytes("p"), Q = Bytes("q"),
                    DP = Bytes("dp"), DQ = Bytes("dq"), InverseQ = Bytes("qi"),
                });
                return new ClientAssertionKey(rsa, "RS384", kid);
            case "EC" when Member("crv") == "P-384":
                var ec = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP384, D = Bytes("d"), Q = new ECPoint { X = Bytes("x"), Y = Bytes("y") },
                });
                return new ClientAssertionKey(ec, "ES384", kid);
            default:
                throw new ArgumentException("The JWK must be an RSA key or an EC P-384 key (SMART Backend Services signs RS384 or ES384).");
        }
    }

    private static ClientAssertionKey FromPem(string pem, string? keyId)
    {
        if (IsEcKey(pem))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            if (ec.KeySize != 384)
            {
                ec.Dispose();
                throw new ArgumentException("An EC key must be on the P-384 curve (ES384).");
            }
            return new ClientAssertionKey(ec, "ES384", keyId);
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new ClientAssertionKey(rsa, "RS384", keyId);
    }

    // A PKCS#8 "PRIVATE KEY" may hold either kind: try EC first.
    private static bool IsEcKey(string pem)
    {
        using var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
