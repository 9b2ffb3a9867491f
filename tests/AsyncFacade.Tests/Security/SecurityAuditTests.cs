using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security;

/// <summary>The audit log: one event per security decision, with who, what and why, and never a token.</summary>
public sealed class SecurityAuditTests(SecurityAuditFacade fixture) : IClassFixture<SecurityAuditFacade>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_verified_token_is_logged_once_per_request_with_its_client_issuer_key_and_scopes()
    {
        var client = Unique("accepted");
        using var http = fixture.ClientWith(fixture.Token(client, "system/Patient.read"));

        using (var read = await http.GetAsync("/fhir/Patient?_count=1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        // A kick-off passes more checks (the auth middleware, the async filter, the job's owner) but is one request.
        var status = await new AsyncClient(http).KickOffAsync("/fhir/Patient?_count=1");

        var accepted = fixture.Audit(8001, e => Equals(e["Client"], client) && Equals(e["Path"], "/fhir/Patient"));
        Assert.Equal(2, accepted.Count);
        Assert.All(accepted, e =>
        {
            Assert.Equal(TestTokenIssuer.Issuer, e["Issuer"]);
            Assert.Equal("test", e["KeyId"]);
            Assert.Equal("system/Patient.read", e["Scopes"]);
            Assert.Equal("GET", e["Method"]);
            Assert.Equal("127.0.0.1", e["Address"]);
        });
        (await http.DeleteAsync(status, ct)).Dispose();
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("garbage", "malformed")]
    public async Task A_refused_token_is_logged_with_the_reason(string kind, string reason)
    {
        var path = "/fhir/Patient/" + Unique(kind);
        var token = kind == "expired" ? fixture.Token(Unique("refused"), "system/*.read", DateTime.UtcNow.AddMinutes(-5)) : fixture.Remember("not-a-jwt");
        using var http = fixture.ClientWith(token);

        using var response = await http.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refused = Assert.Single(fixture.Audit(8002, e => Equals(e["Path"], path)));
        Assert.Equal(reason, refused["Reason"]);
        Assert.Equal("GET", refused["Method"]);
        Assert.Empty(fixture.Audit(8001, e => Equals(e["Path"], path)));
    }

    [Theory]
    [InlineData(null, "no Authorization header")]
    [InlineData("Basic cmVhZGVyOnNlY3JldA==", "not a bearer token")]
    public async Task A_request_without_a_bearer_token_is_logged_once(string? authorization, string reason)
    {
        var path = "/fhir/Patient/" + Unique("missing");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var http = fixture.App.CreateRawClient();
        using var response = await http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(reason, Assert.Single(fixture.Audit(8009, e => Equals(e["Path"], path)))["Reason"]);
        Assert.Empty(fixture.Audit(8002, e => Equals(e["Path"], path)));
    }

    [Fact]
    public async Task A_scope_refusal_is_logged_with_the_client_and_the_scope_it_needed()
    {
        var client = Unique("scoped");
        using var http = fixture.ClientWith(fixture.Token(client, "system/Patient.read"));

        using var response = await http.GetAsync("/fhir/Observation?_count=1", ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        var refused = Assert.Single(fixture.Audit(8003, e => Equals(e["Client"], client)));
        Assert.Contains("Observation", (string)refused["NeededScopes"]!);
        Assert.Equal("/fhir/Observation", refused["Path"]);
    }

    [Fact]
    public async Task Asking_for_another_clients_job_is_logged_as_an_ownership_refusal()
    {
        var owner = Unique("owner");
        var stranger = Unique("stranger");
        using var owned = fixture.ClientWith(fixture.Token(owner, "system/*.read"));
        using var other = fixture.ClientWith(fixture.Token(stranger, "system/*.read"));
        var status = await new AsyncClient(owned).KickOffAsync("/fhir/Patient?_count=1");
        var jobId = status[(status.LastIndexOf('/') + 1)..];

        foreach (var (method, url) in new[] { (HttpMethod.Get, status), (HttpMethod.Get, status + "/result"), (HttpMethod.Delete, status) })
        {
            using var response = await other.SendAsync(new HttpRequestMessage(method, url), ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var refused = fixture.Audit(8004, e => Equals(e["Client"], stranger));
        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Equal(jobId, e["JobId"]));
        Assert.All(refused, e => Assert.Equal(owner, e["Owner"]));
        Assert.Equal(["GET", "GET", "DELETE"], refused.Select(e => e["Method"]));
        Assert.Empty(fixture.Audit(8004, e => Equals(e["Client"], owner)));
        (await owned.DeleteAsync(status, ct)).Dispose();
    }

    [Fact]
    public async Task Token_endpoint_decisions_are_audited_and_no_log_line_carries_a_token_or_an_assertion()
    {
        using var http = fixture.App.CreateRawClient();
        using var granted = await RequestTokenAsync(http, "system/Patient.read");
        var accessToken = fixture.Remember((await FhirAssert.JsonAsync(granted)).GetProperty("access_token").GetString()!);
        using (var refused = await RequestTokenAsync(http, "system/*.write"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using (var used = await fixture.ClientWith(accessToken).GetAsync("/fhir/Patient?_count=1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var issued = Assert.Single(fixture.Audit(8005, e => Equals(e["Client"], SecurityAuditFacade.IssuerClient)));
        Assert.Equal("system/Patient.read", issued["Scope"]);
        var denied = Assert.Single(fixture.Audit(8006, e => Equals(e["Client"], SecurityAuditFacade.IssuerClient)));
        Assert.Equal("invalid_scope", denied["Error"]);
        Assert.Contains(fixture.Audit(8001, e => Equals(e["Client"], SecurityAuditFacade.IssuerClient)), e => e["KeyId"] is string { Length: > 0 } kid && kid != "(none)");

        // Every line of every category, this test's and the others' so far: no token, no assertion, no signature.
        var lines = fixture.Logs.Entries;
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var text = string.Join('\n', [line.Message, .. line.Properties.Values.Select(v => v?.ToString()), line.Exception?.ToString()]);
            foreach (var secret in fixture.Secrets.Where(s => s.Length >= 16))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A {line.Category} line ({line.EventId}) carries a token: {line.Message}");
            }
        }
    }

    private Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string scope) =>
        http.PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = fixture.Remember(fixture.IssuerClientKey.Assertion(SecurityAuditFacade.IssuerClient, fixture.TokenUrl)),
        }), ct);

    private static string Unique(string what) => $"{what}-{Guid.NewGuid():N}"[..24];
}
