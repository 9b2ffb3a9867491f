using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Auth;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>
/// Issue 14 case 5: an upstream that hands out short-lived tokens and forgets them when it restarts. The facade gets its
/// own tokens from the upstream's token endpoint (found through `.well-known/smart-configuration`), renews them before
/// they expire, and once when the upstream answers 401. Tokens are counted at the sample upstream's token endpoint.
/// </summary>
public sealed class UpstreamTokenRenewalTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_that_outlives_several_tokens_completes_exactly_renewing_its_token_not_once_per_call()
    {
        // 2 s tokens; 200 ms per upstream call and 50 resources a page: the export's 24 pages take about 8 s.
        var settings = UpstreamAuthSettings.ClientSecret(tokenLifetimeSeconds: 2)
            .With("SampleUpstream:LatencyMilliseconds", "200")
            .With("Export:PageSize", "50")
            .With("Export:MinSliceSize", "1000000"); // one unit paging alone, so the export outlives several tokens
        await using var app = new FacadeApplication(settings).Start();
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var http = app.CreateRawClient();
        var client = new AsyncClient(http);

        var clock = Stopwatch.StartNew();
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Observation");
        kickOff.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        var status = await client.KickOffAsync(kickOff);
        using var done = await client.WaitAsync(status, TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed;
        var tokenRequests = issuer.Issued.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"export took {elapsed}, {tokenRequests} token requests");

        var manifest = await FhirAssert.JsonAsync(done);
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var exported = await ExportedIdsAsync(http, manifest);
        Assert.Equal(exported.Count, exported.Distinct().Count());
        Assert.Equal(await UpstreamIdsAsync(app, "Observation"), exported.Order(StringComparer.Ordinal).ToList());
        Assert.True(elapsed > TimeSpan.FromSeconds(6), $"the export took {elapsed}: too short to outlive several 2 s tokens");
        // A 2 s token is renewed after 1 s: about one request a second, never one per call (the export made 24+ calls).
        Assert.InRange(tokenRequests, 3, (int)Math.Ceiling(elapsed.TotalSeconds) + 2);
    }

    [Fact]
    public async Task Thirty_two_concurrent_calls_share_one_token_request_and_after_a_restart_one_renewal()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret().With("SampleUpstream:LatencyMilliseconds", "50")).Start();
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var http = app.CreateRawClient();

        await AllReadAsync();
        Assert.Single(issuer.Issued);
        issuer.Restart();
        await AllReadAsync();
        Assert.Equal(2, issuer.Issued.Count);

        async Task AllReadAsync()
        {
            var responses = await Task.WhenAll(Enumerable.Range(1, 32).Select(i => http.GetAsync($"/fhir/Patient/pat-{i}", ct)));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task After_an_upstream_restart_a_job_call_gets_a_new_token_and_is_retried_once()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret()).Start();
        var (issuer, http) = await RestartedAfterOneTokenAsync(app);
        var client = new AsyncClient(http);
        using var done = await client.WaitAsync(await client.KickOffAsync("/fhir/Patient/pat-1"));

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));
        Assert.Equal("200 OK", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("pat-1", entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.Equal(2, issuer.Issued.Count);
    }

    [Fact]
    public async Task After_an_upstream_restart_a_pass_through_read_gets_a_new_token_and_is_retried_once()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret()).Start();
        var (issuer, http) = await RestartedAfterOneTokenAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient/pat-2");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer the-callers-own-token");
        using var response = await http.SendAsync(request, ct);

        Assert.Equal("pat-2", (await FhirAssert.JsonAsync(response)).GetProperty("id").GetString());
        Assert.Equal(2, issuer.Issued.Count);
    }

    [Fact]
    public async Task After_an_upstream_restart_a_pass_through_write_is_not_resent_but_the_next_call_has_a_new_token()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret()).Start();
        var (issuer, http) = await RestartedAfterOneTokenAsync(app);
        // The caller's body has been streamed to the upstream already: it cannot be sent a second time.
        using var create = await http.PostAsync("/fhir/Patient",
            new StringContent("""{"resourceType":"Patient","active":true}""", Encoding.UTF8, "application/fhir+json"), ct);
        await FhirAssert.OperationOutcomeAsync(create, HttpStatusCode.Unauthorized, "login");
        using var next = await http.GetAsync("/fhir/Patient/pat-1", ct);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, issuer.Issued.Count);
    }

    /// <summary>One call through the facade caches a token; then the upstream "restarts" and forgets it.</summary>
    private async Task<(SampleTokenIssuer Issuer, HttpClient Http)> RestartedAfterOneTokenAsync(FacadeApplication app)
    {
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var http = app.CreateRawClient();
        using (var warm = await http.GetAsync("/fhir/Patient/pat-1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        Assert.Single(issuer.Issued);
        issuer.Restart();
        return (issuer, http);
    }

    /// <summary>Every id in the export's files, in file order.</summary>
    internal static async Task<List<string>> ExportedIdsAsync(HttpClient http, JsonElement manifest)
    {
        var ids = new List<string>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var ndjson = await http.GetStringAsync(output.GetProperty("url").GetString(), TestContext.Current.CancellationToken);
            ids.AddRange(ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!));
        }
        return ids;
    }

    /// <summary>What the upstream holds of a type, read straight from it with a token of the test's own, sorted.</summary>
    internal static async Task<List<string>> UpstreamIdsAsync(FacadeApplication app, string type)
    {
        var (token, _) = app.GetRequiredService<SampleTokenIssuer>().Issue();
        using var http = app.CreateRawClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var ids = new List<string>();
        for (string? url = $"/upstream/fhir/{type}?_count=1000"; url is not null;)
        {
            var bundle = await FhirAssert.JsonAsync(await http.GetAsync(url, TestContext.Current.CancellationToken));
            ids.AddRange(bundle.TryGetProperty("entry", out var entries) ? entries.EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!) : []);
            url = bundle.GetProperty("link").EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next")
                .Select(l => l.GetProperty("url").GetString()).FirstOrDefault();
        }
        return ids.Order(StringComparer.Ordinal).ToList();
    }
}
