using System.Net;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>The provider rotates its signing keys while the facade runs: no restart, and a withdrawn key stops verifying.</summary>
public sealed class OidcKeyRotationTests
{
    private const string Audience = "https://rotation.test/fhir";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_signing_key_is_trusted_at_its_first_token_without_a_restart()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        var client = await tenant.RegisterClientAsync(ct);
        // An hour between automatic reads: only the unknown kid can make the facade read the JWKS again.
        await using var app = new FacadeApplication(tenant.FacadeSettings(Audience, refreshSeconds: 3600)).Start();
        using var http = app.CreateRawClient();
        var before = await client.GetTokenAsync("system/*.rs", Audience, ct);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", before), ct)).StatusCode);

        var kid = await tenant.RotateKeyAsync(ct);
        var after = await client.GetTokenAsync("system/*.rs", Audience, ct);
        Assert.Equal(kid, new JsonWebToken(after).Kid);

        // The first request with the new kid: the token handler asks for a refresh and validates again in the same request.
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", after), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", before), ct)).StatusCode);
    }

    [Fact]
    public async Task A_key_the_provider_removed_stops_verifying_after_the_next_automatic_refresh()
    {
        await using var tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        var client = await tenant.RegisterClientAsync(ct);
        await using var app = new FacadeApplication(tenant.FacadeSettings(Audience, refreshSeconds: 1)).Start();
        using var http = app.CreateRawClient();
        var old = await client.GetTokenAsync("system/*.rs", Audience, ct);
        Assert.Equal(tenant.FirstKeyId, new JsonWebToken(old).Kid);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", old), ct)).StatusCode);

        await tenant.RotateKeyAsync(ct);
        var current = await client.GetTokenAsync("system/*.rs", Audience, ct);
        await tenant.RemoveKeyAsync(tenant.FirstKeyId, ct);

        using var refused = await Eventually.WaitForAsync(
            () => http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", old), ct),
            r => r.StatusCode != HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the withdrawn key to stop verifying");
        await FhirAssert.OperationOutcomeAsync(refused, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", current), ct)).StatusCode);
    }
}
