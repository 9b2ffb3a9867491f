using System.Net;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>The provider goes away: at start-up nothing can be verified (503, not 401); mid-run the cached keys carry on.</summary>
public sealed class OidcOutageTests
{
    private const string Audience = "https://outage.test/fhir";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Provider_down_at_start_up_gives_503_transient_and_degraded_readiness_until_it_answers()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        var client = await tenant.RegisterClientAsync(ct);
        var token = await client.GetTokenAsync("system/*.rs", Audience, ct);
        await tenant.SetOutageAsync(down: true, ct);

        await using var app = new FacadeApplication(tenant.FacadeSettings(Audience)).Start();
        using var http = app.CreateRawClient();

        using var unverifiable = await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct);
        await FhirAssert.OperationOutcomeAsync(unverifiable, HttpStatusCode.ServiceUnavailable, "transient");
        Assert.NotNull(unverifiable.Headers.RetryAfter?.Delta);
        using var noToken = await http.GetAsync("/fhir/Patient?_count=1", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        using var discovery = await http.GetAsync("/fhir/.well-known/smart-configuration", ct);
        await FhirAssert.OperationOutcomeAsync(discovery, HttpStatusCode.ServiceUnavailable, "transient");
        Assert.NotNull(discovery.Headers.RetryAfter?.Delta);
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("identity-provider").GetProperty("status").GetString());

        await tenant.SetOutageAsync(down: false, ct);

        await Eventually.WaitForAsync(async () => (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct)).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the token to verify once the provider answers");
        var healthy = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));
        Assert.Equal("Healthy", healthy.GetProperty("checks").GetProperty("identity-provider").GetProperty("status").GetString());
        SmartConfigurationAssert.HasRequiredFields(await FhirAssert.JsonAsync(await http.GetAsync("/fhir/.well-known/smart-configuration", ct)));
    }

    [Fact]
    public async Task Provider_down_mid_run_keeps_the_cached_keys_verifying_and_readiness_degraded()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        var client = await tenant.RegisterClientAsync(ct);
        var token = await client.GetTokenAsync("system/*.rs", Audience, ct);
        var logs = new LogRecorder();
        // Read again every second, so reads fail while it is down: the keys must outlive those failures.
        await using var app = new FacadeApplication(tenant.FacadeSettings(Audience, refreshSeconds: 1),
            configureServices: s => s.AddSingleton<ILoggerProvider>(logs)).Start();
        using var http = app.CreateRawClient();
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct)).StatusCode);

        await tenant.SetOutageAsync(down: true, ct, resetConnections: true);

        // Requests make the facade read again every second; wait until one of those reads has failed.
        try
        {
            await Eventually.WaitForAsync(async () =>
                {
                    using var response = await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return logs.Entries.Any(e => e.EventId == 8102);
                },
                failed => failed, TimeSpan.FromSeconds(15), "a failed read of the keys (event 8102)");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nLogged:\n{string.Join('\n', logs.Entries)}", ex);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct)).StatusCode);
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));
        var check = ready.GetProperty("checks").GetProperty("identity-provider");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("tokens are verified with", check.GetProperty("description").GetString());
        SmartConfigurationAssert.HasRequiredFields(await FhirAssert.JsonAsync(await http.GetAsync("/fhir/.well-known/smart-configuration", ct)));

        await tenant.SetOutageAsync(down: false, ct);
        var healthy = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));
        Assert.Equal("Healthy", healthy.GetProperty("checks").GetProperty("identity-provider").GetProperty("status").GetString());
    }
}
