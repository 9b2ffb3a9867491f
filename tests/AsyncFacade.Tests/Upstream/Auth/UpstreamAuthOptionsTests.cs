using System.Text.Json;
using AsyncFacade.Server.Upstream;
using AsyncFacade.Server.Upstream.Credentials;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>`Upstream:Auth` is checked at start: each message names the key, and none repeats a secret.</summary>
public sealed class UpstreamAuthOptionsTests
{
    public static TheoryData<string, UpstreamAuthOptions, string?> BadSettings()
    {
        var ec = TestSigningKey.Ec();
        var withoutKid = JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, string>>(ec.PrivateJwk)!.Where(p => p.Key != "kid").ToDictionary());
        return new()
        {
            { "Upstream:Auth:Mode", new() { Mode = "oauth" }, null },
            { "Upstream:Auth:Mode is bearer", new() { Mode = "bearer" }, null },
            { "Upstream:Auth:Mode is none", new() { Mode = "none" }, "static" },
            { "Upstream:Auth:ClientId", new() { Mode = "client-secret", ClientSecret = "s" }, null },
            { "Upstream:Auth:ClientSecret", new() { Mode = "client-secret", ClientId = "c" }, null },
            { "Upstream:Auth:SecretMethod", new() { Mode = "client-secret", ClientId = "c", ClientSecret = "s", SecretMethod = "header" }, null },
            { "Upstream:Auth:TokenUrl", new() { Mode = "client-secret", ClientId = "c", ClientSecret = "s", TokenUrl = "not a url" }, null },
            { "Upstream:Auth:Scope", new() { Mode = "client-secret", ClientId = "c", ClientSecret = "s", Scope = " " }, null },
            { "Upstream:BearerToken must be empty", new() { Mode = "client-secret", ClientId = "c", ClientSecret = "s" }, "static" },
            { "Upstream:Auth:PrivateKey is required", new() { Mode = "private-key-jwt", ClientId = "c" }, null },
            { "Upstream:Auth:PrivateKey is neither", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = "/no/such/key.pem" }, null },
            { "Upstream:Auth:PrivateKey is not a usable", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = """{"kty":"oct","k":"c2VjcmV0"}""" }, null },
            { "Upstream:Auth:PrivateKey is not a usable", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, null },
            { "Upstream:Auth:PrivateKey is not a usable", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = "-----BEGIN EC PRIVATE KEY-----\nnot base64\n-----END EC PRIVATE KEY-----" }, null },
            { "at least 2048", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = TestSigningKey.Rsa(1024).PrivateJwk }, null },
            { "Upstream:Auth:Algorithm", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = ec.PrivateJwk, Algorithm = "RS384" }, null },
            { "Upstream:Auth:KeyId", new() { Mode = "private-key-jwt", ClientId = "c", PrivateKey = withoutKid }, null },
        };
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_upstream_credential_setting_is_refused_naming_the_key(string expected, UpstreamAuthOptions auth, string? bearerToken)
    {
        var failures = Validate(auth, bearerToken);

        Assert.Contains(expected, failures);
        if (auth.PrivateKey is { } key && key.StartsWith('{') && JsonDocument.Parse(key).RootElement.TryGetProperty("d", out var d))
        {
            Assert.DoesNotContain(d.GetString()!, failures);
        }
        if (auth.ClientSecret is { } secret)
        {
            Assert.DoesNotContain("=" + secret, failures);
        }
    }

    [Fact]
    public void Good_settings_of_every_mode_are_valid()
    {
        var rsa = TestSigningKey.Rsa();
        Assert.Empty(Validate(new UpstreamAuthOptions(), null));
        Assert.Empty(Validate(new UpstreamAuthOptions(), "static-token"));
        Assert.Empty(Validate(new UpstreamAuthOptions { Mode = "client-secret", ClientId = "c", ClientSecret = "s", SecretMethod = "post" }, null));
        Assert.Empty(Validate(new UpstreamAuthOptions { Mode = "private-key-jwt", ClientId = "c", PrivateKey = rsa.PrivatePem, KeyId = "k1", Algorithm = "RS384",
            TokenUrl = "https://auth.example.org/token", Scope = "system/*.rs" }, null));
    }

    [Fact]
    public async Task A_bad_key_stops_the_server_process_at_start_naming_it()
    {
        await using var server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["Upstream__Auth__Mode"] = "private-key-jwt",
            ["Upstream__Auth__ClientId"] = "c",
            ["Upstream__Auth__PrivateKey"] = "/no/such/upstream-key.pem",
        });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null and not 0, $"The server kept running or exited 0:\n{server.Output}");
        Assert.Contains("Upstream:Auth:PrivateKey", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    private static string Validate(UpstreamAuthOptions auth, string? bearerToken) =>
        string.Join('\n', new UpstreamOptionsValidator().Validate(null, new UpstreamOptions { Auth = auth, BearerToken = bearerToken }).Failures ?? []);
}
