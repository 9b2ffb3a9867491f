using System.Net;
using System.Net.Http.Headers;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// The whole SMART Backend Services flow against the facade alone: a client signs an assertion, the built-in issuer
/// gives it a token, and the FHIR API honours that token and its scopes.
/// </summary>
public sealed class BackendServicesTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly AuthIssuerClientKey key = AuthIssuerClientKey.Es384();
    private FacadeApplication app = null!;
    private HttpClient http = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "true",
            ["Auth:Audience"] = "https://facade.test/fhir",
            ["Auth:Issuer:Enabled"] = "true",
            ["Auth:Issuer:Clients:0:ClientId"] = "analytics",
            ["Auth:Issuer:Clients:0:Jwks"] = key.PublicJwks,
            ["Auth:Issuer:Clients:0:Scopes"] = "system/Patient.read",
        }).Start();
        http = app.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_token_from_the_built_in_issuer_opens_the_FHIR_API_within_its_scopes()
    {
        var discovery = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/.well-known/smart-configuration", ct));
        SmartConfigurationAssert.HasRequiredFields(discovery);
        Assert.EndsWith("/.well-known/jwks.json", discovery.GetProperty("jwks_uri").GetString());
        var tokenUrl = discovery.GetProperty("token_endpoint").GetString()!;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/Patient.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = key.Assertion("analytics", tokenUrl),
        });
        using var issued = await http.PostAsync(tokenUrl, form, ct);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = (await FhirAssert.JsonAsync(issued)).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/fhir/Patient?_count=1", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/fhir/Observation?_count=1", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/fhir/Patient?_count=1", token + "x")).StatusCode);
    }

    private Task<HttpResponseMessage> GetAsync(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, ct);
    }
}
