namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>Settings that make the embedded sample upstream require tokens, and give the facade a client registered there.</summary>
public static class UpstreamAuthSettings
{
    public const string ClientId = "facade-under-test";
    public const string Secret = "s3cret-only-the-sample-upstream-knows";

    public static Dictionary<string, string?> Upstream(int tokenLifetimeSeconds = 300, string? publicKey = null) => new()
    {
        ["SampleUpstream:Auth:Required"] = "true",
        ["SampleUpstream:Auth:TokenLifetimeSeconds"] = tokenLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SampleUpstream:Auth:ClientId"] = ClientId,
        ["SampleUpstream:Auth:ClientSecret"] = Secret,
        ["SampleUpstream:Auth:PublicKey"] = publicKey,
    };

    /// <summary>client_credentials with a secret; no TokenUrl, so the token endpoint comes from `.well-known/smart-configuration`.</summary>
    public static Dictionary<string, string?> ClientSecret(int tokenLifetimeSeconds = 300, string secret = Secret, string method = "basic")
    {
        var settings = Upstream(tokenLifetimeSeconds);
        settings["Upstream:Auth:Mode"] = "client-secret";
        settings["Upstream:Auth:ClientId"] = ClientId;
        settings["Upstream:Auth:ClientSecret"] = secret;
        settings["Upstream:Auth:SecretMethod"] = method;
        return settings;
    }

    public static Dictionary<string, string?> PrivateKey(TestSigningKey key, string privateKey, int tokenLifetimeSeconds = 300)
    {
        var settings = Upstream(tokenLifetimeSeconds, key.PublicJwk);
        settings["Upstream:Auth:Mode"] = "private-key-jwt";
        settings["Upstream:Auth:ClientId"] = ClientId;
        settings["Upstream:Auth:PrivateKey"] = privateKey;
        settings["Upstream:Auth:KeyId"] = key.KeyId;
        settings["Upstream:Auth:Algorithm"] = key.Algorithm;
        return settings;
    }

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string? value)
    {
        settings[key] = value;
        return settings;
    }
}
