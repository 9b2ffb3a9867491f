using System.Security.Cryptography;
using System.Text.Json;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>A fresh RS384 or ES384 key pair, in the forms an operator configures: private JWK, private PEM, public JWK.</summary>
public sealed record TestSigningKey(string Algorithm, string KeyId, string PrivateJwk, string PrivatePem, string PublicJwk)
{
    public static TestSigningKey Rsa(int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var kid = "rsa-" + Guid.NewGuid().ToString("N")[..8];
        var common = new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = kid, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        var secret = new Dictionary<string, string>(common)
        {
            ["d"] = B64(p.D!), ["p"] = B64(p.P!), ["q"] = B64(p.Q!), ["dp"] = B64(p.DP!), ["dq"] = B64(p.DQ!), ["qi"] = B64(p.InverseQ!),
        };
        return new TestSigningKey("RS384", kid, JsonSerializer.Serialize(secret), rsa.ExportPkcs8PrivateKeyPem(), JsonSerializer.Serialize(new { keys = new[] { common } }));
    }

    public static TestSigningKey Ec()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var kid = "ec-" + Guid.NewGuid().ToString("N")[..8];
        var common = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = kid, ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        var secret = new Dictionary<string, string>(common) { ["d"] = B64(p.D!) };
        return new TestSigningKey("ES384", kid, JsonSerializer.Serialize(secret), ec.ExportECPrivateKeyPem(), JsonSerializer.Serialize(new { keys = new[] { common } }));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
