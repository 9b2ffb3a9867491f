using System.Text.Json;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// What SMART App Launch 2.x (STU 2.2, Conformance, "Discovery using a Well-Known URI" / Metadata) makes REQUIRED in
/// `.well-known/smart-configuration`: token_endpoint, grant_types_supported (client_credentials for backend services),
/// capabilities and code_challenge_methods_supported (S256, never plain). `issuer` only with sso-openid-connect,
/// "otherwise, omitted".
/// </summary>
public static class SmartConfigurationAssert
{
    public static void HasRequiredFields(JsonElement configuration)
    {
        var token = configuration.GetProperty("token_endpoint").GetString();
        Assert.True(Uri.TryCreate(token, UriKind.Absolute, out _), $"token_endpoint must be an absolute URL, got '{token}'");
        Assert.Contains("client_credentials", Strings(configuration, "grant_types_supported"));
        var capabilities = Strings(configuration, "capabilities");
        Assert.NotEmpty(capabilities);
        var pkce = Strings(configuration, "code_challenge_methods_supported");
        Assert.Contains("S256", pkce);
        Assert.DoesNotContain("plain", pkce);
        if (!capabilities.Contains("sso-openid-connect"))
        {
            Assert.False(configuration.TryGetProperty("issuer", out _), "issuer is omitted without the sso-openid-connect capability");
        }
    }

    public static string[] Strings(JsonElement configuration, string name) =>
        [.. configuration.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
