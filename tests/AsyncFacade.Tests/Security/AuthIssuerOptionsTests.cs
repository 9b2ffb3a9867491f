using System.Security.Cryptography;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Tests.Security;

/// <summary>`Auth:Issuer:*` settings are validated at start when the issuer is enabled, with messages naming the key.</summary>
public sealed class AuthIssuerOptionsTests
{
    private static readonly string RsaJwks = AuthIssuerClientKey.Rsa().PublicJwks;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Auth:Issuer:TokenLifetimeSeconds", "301", "Auth:Issuer:TokenLifetimeSeconds must be between 1 and 300" },
        { "Auth:Issuer:TokenLifetimeSeconds", "0", "Auth:Issuer:TokenLifetimeSeconds must be between 1 and 300" },
        { "Auth:Issuer:Name", " ", "Auth:Issuer:Name must not be empty" },
        { "Auth:Issuer:SigningKeyFile", "/nonexistent/key.pem", "Auth:Issuer:SigningKeyFile cannot be read" },
        { "Auth:Issuer:Clients:0:ClientId", "", "Auth:Issuer:Clients:0:ClientId must not be empty" },
        { "Auth:Issuer:Clients:0:Scopes", "", "Auth:Issuer:Clients:0:Scopes must list at least one scope" },
        { "Auth:Issuer:Clients:0:Jwks", "", "Auth:Issuer:Clients:0:Jwks or JwksFile: exactly one must be set" },
        { "Auth:Issuer:Clients:0:JwksFile", "/tmp/jwks.json", "Auth:Issuer:Clients:0:Jwks or JwksFile: exactly one must be set" },
        { "Auth:Issuer:Clients:0:Jwks", "{not json", "Auth:Issuer:Clients:0:Jwks is not valid JSON" },
        { "Auth:Issuer:Clients:0:Jwks", """{"keys":[]}""", "Auth:Issuer:Clients:0:Jwks holds no public key usable" },
        { "Auth:Issuer:Clients:0:Jwks", """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""", "Auth:Issuer:Clients:0:Jwks key 0 is a symmetric (oct) key" },
        { "Auth:Issuer:Clients:0:Jwks", PrivateRsaJwks(), "Auth:Issuer:Clients:0:Jwks key 0 holds private key parts" },
        { "Auth:Issuer:Clients:0:Jwks", SmallRsaJwks(), "Auth:Issuer:Clients:0:Jwks key 0 is an RSA key of 1024 bits" },
        { "Auth:Issuer:Clients:1:ClientId", "client-a", "Auth:Issuer:Clients:1:ClientId 'client-a' is registered twice" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_setting_stops_start_up_with_a_message_naming_the_key(string key, string value, string expected)
    {
        var settings = ValidSettings();
        settings[key] = value;

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => AuthIssuerHost.StartAsync(settings, Token));

        var message = StartupValidation.Describe(exception);
        Assert.NotNull(message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task Enabled_issuer_without_clients_and_without_registration_stops_start_up()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            AuthIssuerHost.StartAsync(new Dictionary<string, string?> { ["Auth:Issuer:Enabled"] = "true", ["Auth:Issuer:Registration"] = "Off" }, Token));

        Assert.Contains("Auth:Issuer:Clients must list at least one client", StartupValidation.Describe(exception));
    }

    [Fact]
    public async Task Disabled_issuer_ignores_its_settings_and_trusts_no_key()
    {
        var settings = ValidSettings();
        settings["Auth:Issuer:Enabled"] = "false";
        settings["Auth:Issuer:TokenLifetimeSeconds"] = "9999";

        await using var app = await AuthIssuerHost.StartAsync(settings, Token);

        Assert.Empty(app.Services.GetRequiredService<AuthIssuerKeys>().SigningKeys);
    }

    [Fact]
    public async Task Nodes_sharing_a_signing_key_file_publish_the_same_key_and_kid()
    {
        var file = Path.GetTempFileName();
        try
        {
            using (var rsa = RSA.Create(2048))
            {
                await File.WriteAllTextAsync(file, rsa.ExportPkcs8PrivateKeyPem(), Token);
            }
            var settings = ValidSettings();
            settings["Auth:Issuer:SigningKeyFile"] = file;
            settings["Auth:Issuer:Name"] = "https://auth.example.org";

            await using var first = await AuthIssuerHost.StartAsync(settings, Token);
            await using var second = await AuthIssuerHost.StartAsync(settings, Token);

            var a = (RsaSecurityKey)Assert.Single(first.Services.GetRequiredService<AuthIssuerKeys>().SigningKeys);
            var b = (RsaSecurityKey)Assert.Single(second.Services.GetRequiredService<AuthIssuerKeys>().SigningKeys);
            Assert.Equal("https://auth.example.org", first.Services.GetRequiredService<AuthIssuerKeys>().Issuer);
            Assert.Equal(a.KeyId, b.KeyId);
            Assert.Equal(a.Parameters.Modulus, b.Parameters.Modulus);
            Assert.Null(a.Parameters.D); // public parts only
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Public_key_file_is_refused_as_signing_key()
    {
        var file = Path.GetTempFileName();
        try
        {
            using (var rsa = RSA.Create(2048))
            {
                await File.WriteAllTextAsync(file, rsa.ExportSubjectPublicKeyInfoPem(), Token);
            }
            var settings = ValidSettings();
            settings["Auth:Issuer:SigningKeyFile"] = file;

            var exception = await Assert.ThrowsAnyAsync<Exception>(() => AuthIssuerHost.StartAsync(settings, Token));

            Assert.Contains("Auth:Issuer:SigningKeyFile must hold a PEM RSA private key", StartupValidation.Describe(exception));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["Auth:Issuer:Enabled"] = "true",
        ["Auth:Issuer:Clients:0:ClientId"] = "client-a",
        ["Auth:Issuer:Clients:0:Jwks"] = RsaJwks,
        ["Auth:Issuer:Clients:0:Scopes"] = "system/*.read",
        ["Auth:Issuer:Clients:1:ClientId"] = "client-b",
        ["Auth:Issuer:Clients:1:Jwks"] = RsaJwks,
        ["Auth:Issuer:Clients:1:Scopes"] = "system/*.read",
    };

    private static string PrivateRsaJwks()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)));
        return $$"""{"keys":[{"kty":"RSA","n":"{{jwk.N}}","e":"{{jwk.E}}","d":"{{jwk.D}}"}]}""";
    }

    private static string SmallRsaJwks()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        return $$"""{"keys":[{"kty":"RSA","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"}]}""";
    }
}
