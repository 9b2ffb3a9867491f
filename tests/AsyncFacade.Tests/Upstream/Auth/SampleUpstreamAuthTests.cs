using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AsyncFacade.SampleUpstream.Auth;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>The sample upstream's optional auth (`SampleUpstream:Auth:Required`), seen directly, without the facade in between.</summary>
public sealed class SampleUpstreamAuthTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication app = null!;
    private HttpClient http = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication(UpstreamAuthSettings.Upstream(tokenLifetimeSeconds: 1)).Start();
        http = app.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Every_FHIR_route_without_a_token_answers_401_with_WWW_Authenticate_and_an_OperationOutcome()
    {
        foreach (var path in new[] { "/upstream/fhir/metadata", "/upstream/fhir/Patient", "/upstream/fhir/Patient/pat-1" })
        {
            using var response = await http.GetAsync(path, ct);

            await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task The_SMART_configuration_names_the_token_endpoint_which_issues_short_lived_tokens_for_the_secret()
    {
        var configuration = await FhirAssert.JsonAsync(await http.GetAsync("/upstream/fhir/.well-known/smart-configuration", ct));
        var tokenUrl = configuration.GetProperty("token_endpoint").GetString()!;
        Assert.Equal(new Uri(app.ServerAddress, "/upstream/fhir/auth/token").ToString(), tokenUrl);
        Assert.Contains("private_key_jwt", configuration.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()));

        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "system/*.rs" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UpstreamAuthSettings.ClientId}:{UpstreamAuthSettings.Secret}")));
        var token = await FhirAssert.JsonAsync(await http.SendAsync(request, ct));

        Assert.Equal("bearer", token.GetProperty("token_type").GetString());
        Assert.Equal(1, token.GetProperty("expires_in").GetInt32());
        Assert.Equal(app.GetRequiredService<SampleTokenIssuer>().Issued.Single(), token.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client()
    {
        using var response = await http.PostAsync("/upstream/fhir/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = UpstreamAuthSettings.ClientId, ["client_secret"] = "wrong",
        }), ct);

        var error = await FhirAssert.JsonAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_client", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_expired_or_forgotten_token_is_refused_as_invalid_token()
    {
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var (expiring, _) = issuer.Issue();
        await Eventually.WaitForAsync(() => Task.FromResult(issuer.Check(expiring)), problem => problem is not null, TimeSpan.FromSeconds(5), "the token to expire");
        var (forgotten, _) = issuer.Issue();
        issuer.Restart();

        foreach (var token in new[] { expiring, forgotten })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/upstream/fhir/Patient/pat-1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);

            await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }
    }
}
