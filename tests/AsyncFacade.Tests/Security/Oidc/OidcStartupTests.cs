using AsyncFacade.Server.Hosting;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>Start-up rules for `Auth:Authority` and for the token endpoint SMART discovery must advertise.</summary>
public sealed class OidcStartupTests
{
    private const string Audience = "https://startup.test/fhir";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_http_authority_is_refused_outside_Development_unless_explicitly_allowed()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        var settings = tenant.FacadeSettings(Audience);
        settings.Remove("Auth:AllowHttpAuthority");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => AuthIssuerHost.StartAsync(settings, ct, Environments.Production, resourceServer: true));
        var message = StartupValidation.Describe(refused);
        Assert.NotNull(message);
        Assert.Contains("Auth:Authority must use https", message);
        Assert.Contains("Auth:AllowHttpAuthority", message);

        await (await AuthIssuerHost.StartAsync(settings, ct, Environments.Development, resourceServer: true)).DisposeAsync();
        settings["Auth:AllowHttpAuthority"] = "true";
        await (await AuthIssuerHost.StartAsync(settings, ct, Environments.Production, resourceServer: true)).DisposeAsync();
    }

    [Fact]
    public async Task Start_up_is_refused_when_the_authority_names_no_token_endpoint_and_none_is_configured()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        await tenant.OmitFromDiscoveryAsync(ct, "token_endpoint");
        var settings = tenant.FacadeSettings(Audience);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => AuthIssuerHost.StartAsync(settings, ct, Environments.Production, resourceServer: true));
        var message = StartupValidation.Describe(refused);
        Assert.NotNull(message);
        Assert.Contains("has no token_endpoint", message);
        Assert.Contains("Auth:TokenEndpoint", message);

        settings["Auth:TokenEndpoint"] = "https://token.startup.test/token";
        await using var app = new FacadeApplication(settings).Start();
        using var http = app.CreateRawClient();
        var configuration = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/.well-known/smart-configuration", ct));
        SmartConfigurationAssert.HasRequiredFields(configuration);
        Assert.Equal("https://token.startup.test/token", configuration.GetProperty("token_endpoint").GetString());
        Assert.Equal(tenant.Issuer + "/jwks", configuration.GetProperty("jwks_uri").GetString());
    }

    [Fact]
    public async Task Start_up_is_refused_when_no_token_endpoint_can_be_derived()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "true",
            ["Auth:Audience"] = Audience,
            ["Auth:ValidIssuer"] = "https://issuer.startup.test",
            ["Auth:Jwks"] = AuthIssuerClientKey.Rsa().PublicJwks,
        };

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => AuthIssuerHost.StartAsync(settings, ct, Environments.Production, resourceServer: true));

        var message = StartupValidation.Describe(refused);
        Assert.NotNull(message);
        Assert.Contains("Auth:TokenEndpoint", message);
        Assert.Contains("Auth:Authority", message);
        Assert.Contains("Auth:Issuer:Enabled", message);
    }
}
