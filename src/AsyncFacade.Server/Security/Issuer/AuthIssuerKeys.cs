using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Security.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The built-in issuer's identity, for the resource server to trust its tokens: its `iss` and public keys.
/// When the issuer is disabled there are no keys, so nothing is trusted on its account.
/// </summary>
public sealed class AuthIssuerKeys
{
    internal AuthIssuerKeys(IOptions<AuthIssuerOptions> options, ISharedSecrets secrets, ILogger<AuthIssuerKeys> logger)
    {
        var settings = options.Value;
        Issuer = settings.Name;
        if (!settings.Enabled)
        {
            SigningKeys = [];
            JwksJson = """{"keys":[]}""";
            return;
        }
        var rsa = string.IsNullOrEmpty(settings.SigningKeyFile) ? AuthIssuerSigningKey.Shared(secrets) : AuthIssuerSigningKey.Load(settings.SigningKeyFile);
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        // RFC 7638 thumbprint: the same key file gives the same kid on every node.
        var kid = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
        publicKey.KeyId = kid;
        SigningKeys = [publicKey];
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384);
        JwksJson = WriteJwks(publicKey);
        if (!string.IsNullOrEmpty(settings.SigningKeyFile))
        {
            AuthIssuerLog.KeyLoaded(logger, kid);
        }
        else if (secrets.IsShared)
        {
            SecretsLog.IssuerKeyShared(logger, kid);
        }
        else
        {
            AuthIssuerLog.KeyGenerated(logger, kid);
        }
    }

    public string Issuer { get; }

    /// <summary>Public keys only.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys { get; }

    /// <summary>The private key with its kid; null when the issuer is disabled.</summary>
    internal SigningCredentials? SigningCredentials { get; }

    /// <summary>`/.well-known/jwks.json`, built once.</summary>
    internal string JwksJson { get; }

    private static string WriteJwks(RsaSecurityKey key)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            json.WriteStartObject();
            json.WriteString("kty", "RSA");
            json.WriteString("use", "sig");
            json.WriteString("alg", SecurityAlgorithms.RsaSha384);
            json.WriteString("kid", key.KeyId);
            json.WriteString("n", Base64UrlEncoder.Encode(key.Parameters.Modulus));
            json.WriteString("e", Base64UrlEncoder.Encode(key.Parameters.Exponent));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
