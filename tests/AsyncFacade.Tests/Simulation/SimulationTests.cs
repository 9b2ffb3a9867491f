using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Simulation;

/// <summary>
/// The reference-test-server mode (Simulation:Enabled): a kick-off's `X-Simulate` (or a `/sim/{behaviours}/fhir` base)
/// makes the job misbehave the ways real servers do, through the same protocol and code paths.
/// </summary>
public sealed class SimulationTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication facade = null!;
    private HttpClient http = null!;

    public ValueTask InitializeAsync()
    {
        facade = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Simulation:Enabled"] = "true",
            ["SampleUpstream:Patients"] = "20",
            ["Upstream:RetryDelayMilliseconds"] = "10",
        }).Start();
        http = facade.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await facade.DisposeAsync();

    [Fact]
    public async Task A_simulated_duration_keeps_the_job_running_with_rising_progress_then_completes()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Patient", "duration=3");

        using var first = await http.GetAsync(status, ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.StartsWith("simulated: ", AsyncClient.Progress(first));
        Assert.NotNull(first.Headers.RetryAfter?.Delta);
        await Task.Delay(1500, ct);
        using var second = await http.GetAsync(status, ct);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.True(Percent(second) > Percent(first), $"{AsyncClient.Progress(first)} then {AsyncClient.Progress(second)}");

        using var done = await new AsyncClient(http).WaitAsync(status);
        var manifest = await FhirAssert.JsonAsync(done);
        Assert.Equal(20, manifest.GetProperty("output")[0].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task No_retry_after_and_retry_after_as_an_HTTP_date()
    {
        using var none = await http.GetAsync(await KickOffAsync("/fhir/Patient/pat-1", "duration=5, no-retry-after"), ct);
        using var dated = await http.GetAsync(await KickOffAsync("/fhir/Patient/pat-1", "duration=5, retry-after-date"), ct);

        Assert.Equal(HttpStatusCode.Accepted, none.StatusCode);
        Assert.False(none.Headers.Contains("Retry-After"));
        Assert.NotNull(AsyncClient.Progress(none));
        Assert.Equal(HttpStatusCode.Accepted, dated.StatusCode);
        var date = dated.Headers.RetryAfter?.Date;
        Assert.NotNull(date);
        Assert.Null(dated.Headers.RetryAfter!.Delta);
        Assert.InRange(date!.Value, DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Every_second_poll_is_answered_429_while_running()
    {
        var status = await KickOffAsync("/fhir/Patient/pat-1", "duration=5, poll-429");

        using var first = await http.GetAsync(status, ct);
        using var second = await http.GetAsync(status, ct);
        using var third = await http.GetAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await FhirAssert.OperationOutcomeAsync(second, HttpStatusCode.TooManyRequests, "throttled");
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
    }

    [Fact]
    public async Task In_progress_200_answers_200_with_an_in_progress_outcome_until_really_done()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Patient", "duration=2, in-progress-200");

        using var running = await http.GetAsync(status, ct);
        var outcome = await FhirAssert.JsonAsync(running);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal("informational", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.StartsWith("in-progress", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        Assert.NotNull(AsyncClient.Progress(running));

        await Task.Delay(2200, ct);
        using var done = await http.GetAsync(status, ct);
        Assert.True((await FhirAssert.JsonAsync(done)).TryGetProperty("output", out _));
    }

    [Theory]
    [InlineData("fail=transient", "transient")]
    [InlineData("fail=fatal", "exception")]
    public async Task A_job_asked_to_fail_fails_with_that_kind_of_outcome(string behaviour, string code)
    {
        using var done = await new AsyncClient(http).WaitAsync(await KickOffAsync("/fhir/$export?_type=Patient", behaviour));

        await FhirAssert.OperationOutcomeAsync(done, HttpStatusCode.InternalServerError, code);
    }

    [Fact]
    public async Task Results_and_files_expire_quickly_with_expire()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Patient", "expire=2");
        using var done = await new AsyncClient(http).WaitAsync(status);
        var manifest = await FhirAssert.JsonAsync(done);
        var expires = done.Content.Headers.Expires;
        Assert.NotNull(expires);
        Assert.True(expires < DateTimeOffset.UtcNow.AddSeconds(3), $"Expires {expires}");
        var file = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;

        await Task.Delay(2200, ct);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(status, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(file, ct)).StatusCode);
    }

    [Fact]
    public async Task Require_token_downloads_need_a_bearer_token()
    {
        using var done = await new AsyncClient(http).WaitAsync(await KickOffAsync("/fhir/$export?_type=Patient", "require-token"));
        var manifest = await FhirAssert.JsonAsync(done);
        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var file = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;

        using var anonymous = await http.GetAsync(file, ct);
        await FhirAssert.OperationOutcomeAsync(anonymous, HttpStatusCode.Unauthorized, "login");
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var request = new HttpRequestMessage(HttpMethod.Get, file);
        request.Headers.Authorization = new("Bearer", "any-token");
        using var withToken = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    [Fact]
    public async Task Partial_serves_partial_manifests_while_the_export_runs()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Patient,Observation", "duration=60, partial");

        // Polled at the pace Retry-After asks (1 s here), as a client must: faster polls are answered 429.
        var partial = await Eventually.WaitForAsync(async () =>
            {
                await Task.Delay(1100, ct);
                return await http.GetAsync(status, ct);
            },
            r => r.StatusCode == HttpStatusCode.Accepted && r.Content.Headers.ContentType?.MediaType == "application/json", TimeSpan.FromSeconds(20), "a partial manifest");

        var page = JsonDocument.Parse(await partial!.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.NotEmpty(page.GetProperty("output").EnumerateArray());
        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);
    }

    [Fact]
    public async Task Error_file_lists_an_error_file_with_an_OperationOutcome()
    {
        using var done = await new AsyncClient(http).WaitAsync(await KickOffAsync("/fhir/$export?_type=Patient", "error-file"));
        var manifest = await FhirAssert.JsonAsync(done);

        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal("OperationOutcome", error.GetProperty("type").GetString());
        var line = JsonDocument.Parse((await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).Trim()).RootElement;
        Assert.Equal("OperationOutcome", line.GetProperty("resourceType").GetString());
        Assert.Equal(20, manifest.GetProperty("output")[0].GetProperty("count").GetInt32()); // the real output is all there
    }

    [Fact]
    public async Task The_sim_base_path_picks_behaviours_without_a_header()
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/sim/duration=5,no-retry-after/fhir/$export?_type=Patient");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!.ToString();
        Assert.Contains("/fhir/_async/", status);

        using var running = await http.GetAsync(status, ct);
        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.False(running.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Simulated_upstream_faults_reach_the_jobs_upstream_calls()
    {
        using var retried = await new AsyncClient(http).WaitAsync(await KickOffAsync("/fhir/$export?_type=Patient", null, "503;n=1;retry-after=0, drop;n=1;bytes=100"));
        Assert.Equal(20, (await FhirAssert.JsonAsync(retried)).GetProperty("output")[0].GetProperty("count").GetInt32());

        using var failed = await new AsyncClient(http).WaitAsync(await KickOffAsync("/fhir/Patient/pat-1", null, "503;retry-after=0"));
        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(failed));
        Assert.Equal("transient", entry.GetProperty("response").GetProperty("outcome").GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_CapabilityStatement_says_the_mode_is_on()
    {
        var statement = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));

        Assert.Contains("X-Simulate", statement.GetProperty("rest")[0].GetProperty("documentation").GetString());
    }

    [Theory]
    [InlineData("X-Simulate", "duration=0")]
    [InlineData("X-Simulate", "explode")]
    [InlineData("X-Simulate", "fail=sometimes")]
    [InlineData("X-Simulate-Upstream", "418")]
    public async Task A_bad_simulation_header_is_refused_naming_it(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Patient");
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await http.SendAsync(request, ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "invalid");
        Assert.Contains(header, outcome.ToString());
    }

    private async Task<string> KickOffAsync(string url, string? behaviours, string? upstreamFaults = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (behaviours is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Simulate", behaviours);
        }
        if (upstreamFaults is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Simulate-Upstream", upstreamFaults);
        }
        return await new AsyncClient(http).KickOffAsync(request);
    }

    private static int Percent(HttpResponseMessage response) =>
        int.Parse(AsyncClient.Progress(response)!.Split(' ')[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Without Simulation:Enabled, the simulation headers mean nothing and there is no `/sim` base.</summary>
[Collection(InMemoryCollection.Name)]
public sealed class SimulationDisabledTests(InMemoryFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Headers_are_ignored_and_sim_paths_are_not_found()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient/pat-1");
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        request.Headers.TryAddWithoutValidation("X-Simulate", "fail=fatal");
        var status = await new AsyncClient(http).KickOffAsync(request);
        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await new AsyncClient(http).WaitAsync(status)));
        Assert.Equal("200 OK", entry.GetProperty("response").GetProperty("status").GetString());

        using var sim = await http.GetAsync("/sim/fail=fatal/fhir/Patient/pat-1", ct);
        Assert.Equal(HttpStatusCode.NotFound, sim.StatusCode);
    }
}
