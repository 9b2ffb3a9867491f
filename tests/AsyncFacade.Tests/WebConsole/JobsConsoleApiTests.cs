using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>The jobs view's JSON API and pages over real HTTP, from loopback (allowed without configuration), on both stores.</summary>
public abstract class JobsConsoleApiContract(FacadeFixture fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly JobQueue queue = fixture.App.GetRequiredService<JobQueue>();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_is_listed_with_its_level_and_detailed_with_units_and_result()
    {
        var client = new AsyncClient(http);
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "fhir/Patient/$export?_type=Patient,Observation");
        kickOff.Headers.Accept.ParseAdd("application/fhir+json");
        var statusUrl = await client.KickOffAsync(kickOff);
        var id = statusUrl.Split('/').Last();
        (await client.WaitAsync(statusUrl)).Dispose();

        var list = await GetJsonAsync("console/api/jobs?kind=export&state=completed&limit=200");
        var row = list.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == id);
        Assert.Equal("$export Patient", row.GetProperty("kind").GetString());
        Assert.Equal("export", row.GetProperty("kindCode").GetString());
        Assert.Equal(JobOwner.Anonymous, row.GetProperty("owner").GetString());
        Assert.Equal("completed", row.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("expiresAt").ValueKind);

        var detail = await GetJsonAsync($"console/api/jobs/{id}");
        Assert.Equal(statusUrl, detail.GetProperty("statusUrl").GetString());
        Assert.StartsWith("manifest ready: ", detail.GetProperty("result").GetString());
        var units = detail.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(["Observation", "Patient"], units.Select(u => u.GetProperty("type").GetString()).Order().ToList());
        Assert.All(units, u => Assert.Equal("completed", u.GetProperty("state").GetString()));
        Assert.Equal(100, units.Single(u => u.GetProperty("type").GetString() == "Patient").GetProperty("resources").GetInt64());
        Assert.Equal("GET", detail.GetProperty("request").GetProperty("method").GetString());
    }

    [Fact]
    public async Task Detail_redacts_the_kept_authorization_header_and_credential_query_parameters()
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "fhir/Patient?name=smith&access_token=qs-secret-123");
        kickOff.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "header-secret-456");
        var statusUrl = await new AsyncClient(http).KickOffAsync(kickOff);
        var id = statusUrl.Split('/').Last();
        var stored = await fixture.App.GetRequiredService<IJobStore>().GetAsync(id, ct);
        Assert.Equal("Bearer header-secret-456", stored!.Request.Headers["Authorization"]); // kept for the upstream, so it must be hidden here

        using var response = await http.GetAsync($"console/api/jobs/{id}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("header-secret-456", text);
        Assert.DoesNotContain("qs-secret-123", text);
        var request = JsonDocument.Parse(text).RootElement.GetProperty("request");
        Assert.Equal("[redacted]", request.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("Patient?name=smith&access_token=[redacted]", request.GetProperty("url").GetString());
        Assert.Equal("GET Patient?…", JsonDocument.Parse(text).RootElement.GetProperty("job").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Cancel_from_the_console_is_the_status_urls_delete()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Block, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders), ct);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.Runs(job.Id)), runs => runs > 0, what: "the job to start");
        var statusUrl = AsyncResults.StatusUrl(job);

        using var cancel = await http.DeleteAsync($"console/api/jobs/{job.Id}", ct);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("OperationOutcome", JsonDocument.Parse(await cancel.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("resourceType").GetString());

        using var status = await http.GetAsync($"fhir/_async/{job.Id}", ct);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.HasStopped(job.Id)), stopped => stopped, what: "the run to stop");
        var detail = await GetJsonAsync($"console/api/jobs/{job.Id}");
        Assert.Equal("cancelled", detail.GetProperty("job").GetProperty("state").GetString());
        // Again, as DELETE would answer: the job is gone for its status URL.
        using var again = await http.DeleteAsync($"console/api/jobs/{job.Id}", ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.EndsWith(job.Id, statusUrl);
    }

    [Fact]
    public async Task An_unchanged_page_answers_304_to_its_etag()
    {
        var owner = "etag-" + Guid.NewGuid().ToString("N")[..8];
        var job = await queue.EnqueueAsync(TestJobHandlers.Echo, owner, new JobRequest("GET", "Patient", JobRequest.NoHeaders), ct);
        await Eventually.WaitForAsync(() => fixture.App.GetRequiredService<IJobStore>().GetAsync(job.Id, ct), j => j!.State == JobState.Completed);

        using var first = await http.GetAsync($"console/api/jobs?owner={owner}", ct);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"console/api/jobs?owner={owner}");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(conditional, ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        var row = Assert.Single(JsonDocument.Parse(await first.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal(TestJobHandlers.Echo, row.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("console/api/jobs?state=finished", HttpStatusCode.BadRequest, "state")]
    [InlineData("console/api/jobs?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("console/api/jobs?limit=many", HttpStatusCode.BadRequest, "limit")]
    [InlineData("console/api/jobs?limit=201", HttpStatusCode.BadRequest, "limit")]
    [InlineData("console/api/jobs?before=yesterday", HttpStatusCode.BadRequest, "before")]
    [InlineData("console/api/jobs?before=99999999999999999999_abc", HttpStatusCode.BadRequest, "before")]
    [InlineData("console/api/jobs/no-such-job", HttpStatusCode.NotFound, null)]
    [InlineData("console/api/jobs/..%2F..%2Fetc", HttpStatusCode.NotFound, null)]
    public async Task Bad_requests_get_an_operation_outcome(string path, HttpStatusCode expected, string? expression)
    {
        using var response = await http.GetAsync(path, ct);
        var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        if (expression is not null)
        {
            Assert.Equal(expression, outcome.GetProperty("issue")[0].GetProperty("expression")[0].GetString());
        }
    }

    [Fact]
    public async Task A_unit_has_no_detail_of_its_own_and_cannot_be_cancelled_alone()
    {
        var store = fixture.App.GetRequiredService<IJobStore>();
        var parent = await queue.EnqueueAsync(TestJobHandlers.Hold, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders), ct);
        var now = DateTimeOffset.UtcNow;
        await store.CreateAsync(new JobRecord
        {
            Id = parent.Id + "-0", ParentId = parent.Id, Owner = parent.Owner, Kind = TestJobHandlers.Echo,
            Request = parent.Request, CreatedAt = now, UpdatedAt = now,
        }, ct);

        using var detail = await http.GetAsync($"console/api/jobs/{parent.Id}-0", ct);
        using var cancel = await http.DeleteAsync($"console/api/jobs/{parent.Id}-0", ct);

        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        TestJobHandlers.Release(parent.Id);
    }

    [Theory]
    [InlineData("console/jobs", "<h1>Jobs</h1>")]
    [InlineData("console/jobs/0123456789abcdef", "id=\"cancel\"")]
    public async Task Pages_are_served_with_the_console_headers(string path, string marker)
    {
        using var response = await http.GetAsync(path, ct);
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains(marker, html);
        Assert.DoesNotContain("{{", html);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryJobsConsoleApiTests(InMemoryFacade fixture) : JobsConsoleApiContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobsConsoleApiTests(PostgresFacade fixture) : JobsConsoleApiContract(fixture);
