using System.Net;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>`Auth:Authority` against a real OpenID provider: discovery, its tokens on the FHIR API, and the tokens it must refuse.</summary>
public sealed class OidcAuthorityTests(OidcAuthorityFacade fixture) : IClassFixture<OidcAuthorityFacade>, IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly HttpClient http = fixture.App.CreateRawClient();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task A_token_from_the_authority_opens_the_FHIR_API_within_its_scopes()
    {
        var token = await fixture.Client.GetTokenAsync("system/Patient.rs", OidcAuthorityFacade.Audience, ct);
        Assert.Equal(fixture.Tenant.Issuer, new JsonWebToken(token).Issuer);

        using var patients = await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct);
        using var observations = await http.SendAsync(OidcClient.Get("/fhir/Observation?_count=1", token), ct);

        Assert.Equal(HttpStatusCode.OK, patients.StatusCode);
        await FhirAssert.OperationOutcomeAsync(observations, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_invalid_token()
    {
        var token = await fixture.Client.GetTokenAsync("system/*.rs", "https://elsewhere.test/fhir", ct);

        using var response = await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_token_from_an_issuer_the_facade_does_not_trust_is_401_invalid_token()
    {
        var token = await fixture.StrangerClient.GetTokenAsync("system/*.rs", OidcAuthorityFacade.Audience, ct);

        using var response = await http.SendAsync(OidcClient.Get("/fhir/Patient?_count=1", token), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task SMART_discovery_takes_the_token_endpoint_keys_and_client_methods_from_the_authority()
    {
        var configuration = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/.well-known/smart-configuration", ct));

        SmartConfigurationAssert.HasRequiredFields(configuration);
        Assert.Equal(fixture.Tenant.TokenEndpoint, configuration.GetProperty("token_endpoint").GetString());
        Assert.Equal(fixture.Tenant.Issuer + "/jwks", configuration.GetProperty("jwks_uri").GetString());
        var methods = SmartConfigurationAssert.Strings(configuration, "token_endpoint_auth_methods_supported");
        Assert.Contains("private_key_jwt", methods);
        Assert.Contains("client_secret_basic", methods);
        Assert.Contains("RS384", SmartConfigurationAssert.Strings(configuration, "token_endpoint_auth_signing_alg_values_supported"));
        var capabilities = SmartConfigurationAssert.Strings(configuration, "capabilities");
        Assert.Contains("client-confidential-asymmetric", capabilities);
        Assert.Contains("client-confidential-symmetric", capabilities);

        var statement = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));
        var oauth = statement.GetProperty("rest")[0].GetProperty("security").GetProperty("extension")[0].GetProperty("extension")[0];
        Assert.Equal(fixture.Tenant.TokenEndpoint, oauth.GetProperty("valueUri").GetString());
    }

    [Fact]
    public async Task Readiness_reports_the_identity_provider_healthy_when_it_answers()
    {
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));

        var check = ready.GetProperty("checks").GetProperty("identity-provider");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Contains(fixture.Tenant.Issuer, check.GetProperty("description").GetString());
    }
}
