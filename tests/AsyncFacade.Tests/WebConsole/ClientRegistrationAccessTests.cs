using System.Net;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>Who may register: Auth:Issuer:Registration and its defaults.</summary>
public sealed class ClientRegistrationAccessTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ClientRegistrationAccess.Local, "127.0.0.1", true)]
    [InlineData(ClientRegistrationAccess.Local, "::1", true)]
    [InlineData(ClientRegistrationAccess.Local, "203.0.113.7", false)]
    [InlineData(ClientRegistrationAccess.Local, "10.0.0.8", false)]
    [InlineData(ClientRegistrationAccess.Open, "203.0.113.7", true)]
    [InlineData(ClientRegistrationAccess.Off, "127.0.0.1", false)]
    public void Local_registration_takes_loopback_requests_only(ClientRegistrationAccess access, string remote, bool allowed)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(allowed, ClientRegistrationEndpoints.MayRegister(httpContext, new AuthIssuerOptions { Enabled = true, Registration = access }));
    }

    [Fact]
    public async Task Without_simulation_registration_defaults_to_local_and_reads_so_in_the_launch_document()
    {
        var settings = LaunchFacade.Settings();
        settings["Simulation:Enabled"] = "false";
        await using var app = new FacadeApplication(settings).Start();
        using var http = app.CreateRawClient();

        var launch = await FhirAssert.JsonAsync(await http.GetAsync("/console/api/launch", ct));

        Assert.Equal("Local", launch.GetProperty("issuer").GetProperty("registration").GetString());
        Assert.True(launch.GetProperty("issuer").GetProperty("mayRegister").GetBoolean()); // the test runs on loopback
        Assert.False(launch.GetProperty("simulation").GetProperty("enabled").GetBoolean());
        await Registrations.RegisterAsync(http, new { jwks = AuthIssuerClientKey.Es384().PublicJwks, scopes = "system/*.read" }, ct);
    }

    [Fact]
    public async Task Registration_off_maps_no_endpoint_and_needs_a_configured_client()
    {
        var key = AuthIssuerClientKey.Es384();
        var settings = LaunchFacade.Settings();
        settings["Auth:Issuer:Registration"] = "Off";
        settings["Auth:Issuer:Clients:0:ClientId"] = "configured";
        settings["Auth:Issuer:Clients:0:Jwks"] = key.PublicJwks;
        settings["Auth:Issuer:Clients:0:Scopes"] = "system/*.read";
        await using var app = new FacadeApplication(settings).Start();
        using var http = app.CreateRawClient();

        await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, new { jwks = key.PublicJwks, scopes = "system/*.read" }, ct),
            HttpStatusCode.NotFound, "not-found");
        var launch = await FhirAssert.JsonAsync(await http.GetAsync("/console/api/launch", ct));
        Assert.False(launch.GetProperty("issuer").GetProperty("mayRegister").GetBoolean());
        await Registrations.TokenBodyAsync(http, new Uri(app.ServerAddress, "auth/token").ToString(), "configured", key, "system/*.read", ct);
    }
}
