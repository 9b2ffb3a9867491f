using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>The async protocol over real HTTP, on both job stores.</summary>
public abstract class AsyncContract(FacadeFixture fixture)
{
    private readonly AsyncClient client = new(fixture.CreateClient());
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private HttpClient Http => client.Http;

    private string FacadeBase => Http.BaseAddress!.ToString().TrimEnd('/') + "/fhir";

    [Fact]
    public async Task Kick_off_answers_202_with_an_absolute_status_url_and_the_applied_preferences()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient/pat-1");
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async, async-mode=redirect, x-unknown=1");

        using var response = await Http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Content.Headers.ContentLocation!.ToString();
        Assert.Matches($"^{FacadeBase}/_async/[0-9a-f]{{32}}$", location);
        Assert.Equal("respond-async, async-mode=redirect", response.Headers.GetValues("Preference-Applied").Single());
    }

    [Fact]
    public async Task Bundle_mode_returns_a_batch_response_with_the_upstream_status_headers_and_resource()
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-1");

        using var done = await client.WaitAsync(status);
        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));

        Assert.Equal("200 OK", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("W/\"1\"", entry.GetProperty("response").GetProperty("etag").GetString());
        Assert.Equal("pat-1", entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.NotNull(done.Content.Headers.Expires);
    }

    [Fact]
    public async Task Bundle_mode_reports_an_upstream_error_inside_the_bundle()
    {
        var status = await client.KickOffAsync("/fhir/Patient/does-not-exist");

        using var done = await client.WaitAsync(status);
        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));

        Assert.Equal("404 Not Found", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("OperationOutcome", entry.GetProperty("response").GetProperty("outcome").GetProperty("resourceType").GetString());
        Assert.False(entry.TryGetProperty("resource", out _));
    }

    [Fact]
    public async Task Async_search_results_page_through_the_facade()
    {
        var status = await client.KickOffAsync("/fhir/Observation?_count=3");

        var searchset = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(status))).GetProperty("resource");

        Assert.Equal("searchset", searchset.GetProperty("type").GetString());
        var next = searchset.GetProperty("link").EnumerateArray().Single(l => l.GetProperty("relation").GetString() == "next").GetProperty("url").GetString()!;
        Assert.StartsWith(FacadeBase + "/Observation?", next);
        Assert.Equal(3, (await FhirAssert.JsonAsync(await Http.GetAsync(next, ct))).GetProperty("entry").GetArrayLength());
    }

    [Fact]
    public async Task Async_create_carries_its_body_and_reports_201_with_a_facade_location()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Patient")
        {
            Content = new StringContent("""{"resourceType":"Patient","name":[{"family":"Async"}]}""", Encoding.UTF8, "application/fhir+json"),
        };
        var status = await client.KickOffAsync(request);

        var response = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(status))).GetProperty("response");

        Assert.Equal("201 Created", response.GetProperty("status").GetString());
        var location = response.GetProperty("location").GetString()!;
        Assert.StartsWith(FacadeBase + "/Patient/", location);
        var created = await FhirAssert.JsonAsync(await Http.GetAsync(location, ct));
        Assert.Equal("Async", created.GetProperty("name")[0].GetProperty("family").GetString());
    }

    [Fact]
    public async Task Async_transaction_returns_the_transaction_response_inside_the_bundle()
    {
        var id = "tx-" + Guid.NewGuid().ToString("N")[..8];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir")
        {
            Content = new StringContent(
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + id +
                "\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/" + id + "\"}}]}", Encoding.UTF8, "application/fhir+json"),
        };
        var status = await client.KickOffAsync(request);

        var resource = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(status))).GetProperty("resource");

        Assert.Equal("transaction-response", resource.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/fhir/Patient/{id}", ct)).StatusCode);
    }

    [Fact]
    public async Task Redirect_mode_answers_303_and_the_result_replays_the_synchronous_answer()
    {
        var status = await client.KickOffAsync("/fhir/Patient/does-not-exist", "respond-async, async-mode=redirect");

        using var done = await client.WaitAsync(status);
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal(status + "/result", done.Headers.Location!.ToString());
        Assert.NotNull(done.Content.Headers.Expires);

        using var replay = await Http.GetAsync(done.Headers.Location, ct);
        using var sync = await Http.GetAsync("/fhir/Patient/does-not-exist", ct);
        Assert.Equal(sync.StatusCode, replay.StatusCode);
        Assert.Equal(sync.Content.Headers.ContentType, replay.Content.Headers.ContentType);
        Assert.Equal(await sync.Content.ReadAsStringAsync(ct), await replay.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Redirect_result_of_a_read_keeps_etag_and_body()
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-2", "respond-async, async-mode=redirect");
        using var done = await client.WaitAsync(status);

        using var replay = await Http.GetAsync(done.Headers.Location, ct);
        using var sync = await Http.GetAsync("/fhir/Patient/pat-2", ct);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(sync.Headers.ETag, replay.Headers.ETag);
        Assert.Equal(await sync.Content.ReadAsStringAsync(ct), await replay.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Running_job_answers_202_with_Retry_After_and_X_Progress_never_200()
    {
        var status = await StartBlockingJobAsync();

        using var response = await Http.GetAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.Matches(@"^blocking, \d+ s elapsed$", AsyncClient.Progress(response));
        await Http.DeleteAsync(status, ct);
    }

    [Fact]
    public async Task Export_poll_status_alias_answers_like_the_status_url()
    {
        var status = await StartBlockingJobAsync();
        var id = status.Split('/')[^1];

        using var alias = await Http.GetAsync($"/fhir/$export-poll-status?_jobId={id}", ct);
        using var missing = await Http.GetAsync("/fhir/$export-poll-status", ct);

        Assert.Equal(HttpStatusCode.Accepted, alias.StatusCode);
        Assert.NotNull(AsyncClient.Progress(alias));
        await FhirAssert.OperationOutcomeAsync(missing, HttpStatusCode.BadRequest, "required");
        await Http.DeleteAsync(status, ct);
    }

    [Fact]
    public async Task Cancel_answers_202_stops_the_run_and_the_status_url_then_answers_404()
    {
        var status = await StartBlockingJobAsync();
        var id = status.Split('/')[^1];

        using var cancel = await Http.DeleteAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.HasStopped(id)), s => s, TimeSpan.FromSeconds(3), "the run to stop");
        await FhirAssert.OperationOutcomeAsync(await Http.GetAsync(status, ct), HttpStatusCode.NotFound, "not-found");
        await FhirAssert.OperationOutcomeAsync(await Http.DeleteAsync(status, ct), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Deleting_a_finished_job_removes_its_stored_result()
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-3");
        (await client.WaitAsync(status)).Dispose();
        var directory = Path.Combine(fixture.App.OutputDirectory, status.Split('/')[^1]);
        Assert.True(Directory.Exists(directory));

        using var delete = await Http.DeleteAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.False(Directory.Exists(directory));
        await FhirAssert.OperationOutcomeAsync(await Http.GetAsync(status, ct), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Polling_much_faster_than_Retry_After_earns_429_but_long_polls_never_do()
    {
        var status = await StartBlockingJobAsync();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await Http.GetAsync(status, ct);
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.TooManyRequests, "throttled");
            }
        }
        using var longPoll = new HttpRequestMessage(HttpMethod.Get, status);
        longPoll.Headers.TryAddWithoutValidation("Prefer", "wait=1");
        using var waited = await Http.SendAsync(longPoll, ct);

        Assert.Equal(HttpStatusCode.Accepted, answers[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.Equal(HttpStatusCode.Accepted, waited.StatusCode);
        await Http.DeleteAsync(status, ct);
    }

    [Fact]
    public async Task A_client_that_honours_Retry_After_is_never_throttled()
    {
        var status = await StartBlockingJobAsync();
        for (var i = 0; i < 4; i++)
        {
            using var response = await Http.GetAsync(status, ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(response.Headers.RetryAfter!.Delta!.Value, ct);
        }
        await Http.DeleteAsync(status, ct);
    }

    [Theory]
    [InlineData("respond-async, wait=abc")]
    [InlineData("respond-async, async-mode=stream")]
    [InlineData("respond-async, callback-url=\"unterminated")]
    public async Task Malformed_Prefer_on_kick_off_is_400(string prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient");
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        await FhirAssert.OperationOutcomeAsync(await Http.SendAsync(request, ct), HttpStatusCode.BadRequest, "invalid");
    }

    [Fact]
    public async Task Async_mode_with_outputFormat_conflicts_and_outputFormat_alone_is_not_supported_here()
    {
        using var conflict = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_outputFormat=ndjson");
        conflict.Headers.TryAddWithoutValidation("Prefer", "respond-async, async-mode=bundle");
        using var manifest = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_outputFormat=ndjson");
        manifest.Headers.TryAddWithoutValidation("Prefer", "respond-async");

        await FhirAssert.OperationOutcomeAsync(await Http.SendAsync(conflict, ct), HttpStatusCode.BadRequest, "invalid");
        await FhirAssert.OperationOutcomeAsync(await Http.SendAsync(manifest, ct), HttpStatusCode.BadRequest, "not-supported");
    }

    [Theory]
    [InlineData("GET", "/fhir/_async/0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound)]
    [InlineData("GET", "/fhir/_async/not-a-job", HttpStatusCode.NotFound)]
    [InlineData("GET", "/fhir/_async/..%2F..%2Fetc", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/fhir/_async/0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound)]
    [InlineData("GET", "/fhir/_async/0123456789abcdef0123456789abcdef/result", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/fhir/_async/0123456789abcdef0123456789abcdef", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PATCH", "/fhir/_async/0123456789abcdef0123456789abcdef", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/fhir/_async/0123456789abcdef0123456789abcdef/result", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_malformed_or_unsupported_status_requests_get_an_OperationOutcome(string method, string path, HttpStatusCode expected)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), ct);

        await FhirAssert.OperationOutcomeAsync(response, expected, expected == HttpStatusCode.NotFound ? "not-found" : "not-supported");
    }

    [Theory]
    [InlineData("wait=-5")]
    [InlineData("wait=soon")]
    public async Task Malformed_wait_on_a_status_request_is_400(string prefer)
    {
        var status = await StartBlockingJobAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, status);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        await FhirAssert.OperationOutcomeAsync(await Http.SendAsync(request, ct), HttpStatusCode.BadRequest, "invalid");
        await Http.DeleteAsync(status, ct);
    }

    /// <summary>A job that runs until cancelled, created as the facade would, so its status URL can be polled.</summary>
    private async Task<string> StartBlockingJobAsync()
    {
        var queue = fixture.App.GetRequiredService<JobQueue>();
        var job = queue.NewJob(TestJobHandlers.Block, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders)) with { BaseUrl = FacadeBase };
        await queue.EnqueueAsync(job, ct);
        var store = fixture.App.GetRequiredService<IJobStore>();
        await Eventually.WaitForAsync(() => store.GetAsync(job.Id, ct), j => j?.Progress == "blocking", what: "the blocking job to start");
        return $"{FacadeBase}/_async/{job.Id}";
    }
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryAsyncTests(InMemoryFacade fixture) : AsyncContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAsyncTests(PostgresFacade fixture) : AsyncContract(fixture);
