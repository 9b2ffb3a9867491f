using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Security;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Tests.Security;

/// <summary>Auth:Issuer:TokenRequestsPerMinutePerClient and …PerAddress on `POST /auth/token`, each on a host of its own.</summary>
public sealed class TokenRateLimitTests
{
    private const string RsaClient = "rsa-client";
    private const string EcClient = "ec-client";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly AuthIssuerClientKey rsaKey = AuthIssuerClientKey.Rsa();
    private readonly AuthIssuerClientKey ecKey = AuthIssuerClientKey.Es384();
    private readonly LogRecorder logs = new();

    [Fact]
    public async Task Token_requests_beyond_the_per_client_limit_get_429_slow_down_while_another_client_is_served()
    {
        await using var app = Start(perClient: 2, perAddress: 100);
        using var http = app.CreateRawClient();

        for (var i = 0; i < 2; i++)
        {
            using var granted = await RequestAsync(http, app, rsaKey, RsaClient);
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }
        await AssertLimitedAsync(await RequestAsync(http, app, rsaKey, RsaClient), "client");
        // The client is the one the request names, read before the assertion is checked: a bad one counts too.
        await AssertLimitedAsync(await RequestAsync(http, app, ecKey, RsaClient, clientIdField: true), "client");
        using (var other = await RequestAsync(http, app, ecKey, EcClient))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // Ids nobody registered share one partition, so random ids cannot grow the limiter's map.
        for (var i = 0; i < 2; i++)
        {
            using var unknown = await RequestAsync(http, app, rsaKey, "nobody-" + Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }
        await AssertLimitedAsync(await RequestAsync(http, app, rsaKey, "nobody-" + Guid.NewGuid().ToString("N")), "client");

        var audit = logs.Entries.Where(e => e.EventId == 8007).ToList();
        Assert.Equal(3, audit.Count);
        Assert.Equal([RsaClient, RsaClient, TokenRequestLimiter.Unregistered], audit.Select(e => e["Key"]));
        Assert.All(audit, e => Assert.Equal("client", e["Limit"]));
    }

    [Fact]
    public async Task Token_requests_beyond_the_per_address_limit_get_429_whichever_client_they_name()
    {
        await using var app = Start(perClient: 10, perAddress: 3);
        using var http = app.CreateRawClient();

        foreach (var (key, client) in new[] { (rsaKey, RsaClient), (ecKey, EcClient), (rsaKey, RsaClient) })
        {
            using var granted = await RequestAsync(http, app, key, client);
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        await AssertLimitedAsync(await RequestAsync(http, app, ecKey, EcClient), "address");
        // Counted before the body is read: not even a malformed request gets parsed.
        await AssertLimitedAsync(await http.PostAsync("/auth/token", new StringContent("not a form"), ct), "address");
        var audit = logs.Entries.Where(e => e.EventId == 8007).ToList();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal("127.0.0.1", e["Key"]));
    }

    private FacadeApplication Start(int perClient, int perAddress) => new FacadeApplication(new Dictionary<string, string?>
    {
        ["Auth:Issuer:Enabled"] = "true",
        ["Auth:Issuer:TokenRequestsPerMinutePerClient"] = perClient.ToString(),
        ["Auth:Issuer:TokenRequestsPerMinutePerAddress"] = perAddress.ToString(),
        ["Auth:Issuer:Clients:0:ClientId"] = RsaClient,
        ["Auth:Issuer:Clients:0:Jwks"] = rsaKey.PublicJwks,
        ["Auth:Issuer:Clients:0:Scopes"] = "system/*.read",
        ["Auth:Issuer:Clients:1:ClientId"] = EcClient,
        ["Auth:Issuer:Clients:1:Jwks"] = ecKey.PublicJwks,
        ["Auth:Issuer:Clients:1:Scopes"] = "system/*.read",
        [$"Logging:LogLevel:{SecurityAudit.Category}"] = "Information",
    }, configureServices: services => services.AddSingleton<ILoggerProvider>(logs)).Start();

    /// <summary>A token request signed with <paramref name="key"/> in the name of <paramref name="clientId"/> (in the assertion, or the client_id field too).</summary>
    private Task<HttpResponseMessage> RequestAsync(HttpClient http, FacadeApplication app, AuthIssuerClientKey key, string clientId, bool clientIdField = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/Patient.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = key.Assertion(clientIdField ? EcClient : clientId, new Uri(app.ServerAddress, "auth/token").ToString()),
        };
        if (clientIdField)
        {
            fields["client_id"] = clientId;
        }
        return http.PostAsync("/auth/token", new FormUrlEncodedContent(fields), ct);
    }

    private async Task AssertLimitedAsync(HttpResponseMessage response, string limit)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {text}");
            Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.Matches("^[0-9]+$", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("slow_down", body.GetProperty("error").GetString());
            Assert.Contains(limit, body.GetProperty("error_description").GetString());
        }
    }
}
