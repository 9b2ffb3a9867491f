using System.Security.Cryptography;
using System.Text.Json;
using AsyncFacade.Client.Auth;
using AsyncFacade.Client.Tests.Infrastructure;
using AsyncFacade.Tests.Security;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Client.Tests.Auth;

/// <summary>
/// A facade with auth on and its built-in SMART issuer handing out 2-second tokens to two registered clients (ES384 and
/// RS384), with a 1.5 s upstream so every job outlives a token.
/// </summary>
public sealed class AuthHost : IAsyncLifetime
{
    public const string EcClient = "ec-client";
    public const string RsaClient = "rsa-client";

    public AuthIssuerClientKey EcKey { get; } = AuthIssuerClientKey.Es384();

    public AuthIssuerClientKey RsaKey { get; } = AuthIssuerClientKey.Rsa();

    public ClientHost Host { get; private set; } = null!;

    /// <summary>Extra settings for a variant of this host.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public string EcPrivatePem => ((ECDsaSecurityKey)EcKey.PrivateKey).ECDsa.ExportPkcs8PrivateKeyPem();

    public string RsaPrivateJwk
    {
        get
        {
            var p = ((RsaSecurityKey)RsaKey.PrivateKey).Rsa.ExportParameters(includePrivateParameters: true);
            return JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["kid"] = RsaKey.KeyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                ["d"] = Base64UrlEncoder.Encode(p.D), ["p"] = Base64UrlEncoder.Encode(p.P), ["q"] = Base64UrlEncoder.Encode(p.Q),
                ["dp"] = Base64UrlEncoder.Encode(p.DP), ["dq"] = Base64UrlEncoder.Encode(p.DQ), ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
            });
        }
    }

    public ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "true",
            ["Auth:Audience"] = "https://facade.test/fhir",
            ["Auth:Issuer:Enabled"] = "true",
            ["Auth:Issuer:TokenLifetimeSeconds"] = "2",
            ["Auth:Issuer:Clients:0:ClientId"] = EcClient,
            ["Auth:Issuer:Clients:0:Jwks"] = EcKey.PublicJwks,
            ["Auth:Issuer:Clients:0:Scopes"] = "system/*.read",
            ["Auth:Issuer:Clients:1:ClientId"] = RsaClient,
            ["Auth:Issuer:Clients:1:Jwks"] = RsaKey.PublicJwks,
            ["Auth:Issuer:Clients:1:Scopes"] = "system/*.read",
            ["SampleUpstream:LatencyMilliseconds"] = "1500",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        Host = new ClientHost(settings);
        return ValueTask.CompletedTask;
    }

    public FhirAsyncClient CreateClient(string clientId, string privateKey, HttpMessageHandler? handler = null)
    {
        var options = ClientHost.FastOptions();
        options.Auth = new SmartBackendServicesOptions { ClientId = clientId, PrivateKey = privateKey, Scope = "system/*.read" };
        return Host.CreateClient(options, handler);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>The same, with `Auth:SignedFileUrls`: manifests list signed URLs and say `requiresAccessToken: false`.</summary>
public sealed class SignedUrlAuthHost : IAsyncLifetime
{
    public AuthHost Inner { get; } = new();

    public ValueTask InitializeAsync()
    {
        Inner.Settings["Auth:SignedFileUrls"] = "true";
        Inner.Settings["SampleUpstream:LatencyMilliseconds"] = "0";
        return Inner.InitializeAsync();
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
