using System.Diagnostics;
using System.Net;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// Two facade instances on one PostgreSQL database and one object store (Azure Blob on Azurite), no disk shared: either
/// can poll, long-poll and cancel any job, and serve the files of an export the other ran.
/// </summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;
    private FacadeApplication nodeA = null!;
    private FacadeApplication nodeB = null!;

    // Nodes share the database and the container; each has its own local directory (FacadeApplication makes one).
    private readonly Dictionary<string, string?> shared = new()
    {
        ["Storage:Provider"] = "azureblob",
        ["Storage:Azure:ConnectionString"] = TestAzurite.ConnectionString,
        ["Storage:Azure:Container"] = TestAzurite.NewContainer("two-nodes"),
    };

    public async ValueTask InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync(ct);
        nodeA = new FacadeApplication(shared, database.ConnectionString).Start();
        nodeB = new FacadeApplication(shared, database.ConnectionString).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Kick_off_on_one_node_is_long_polled_to_completion_on_the_other()
    {
        var a = new AsyncClient(nodeA.CreateRawClient());
        var statusOnA = await a.KickOffAsync("/fhir/Patient/pat-4");
        var statusOnB = OnB(statusOnA);

        using var request = new HttpRequestMessage(HttpMethod.Get, statusOnB);
        request.Headers.TryAddWithoutValidation("Prefer", "wait=10");
        using var response = await nodeB.CreateRawClient().SendAsync(request, ct);

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(response));
        Assert.Equal("pat-4", entry.GetProperty("resource").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_long_poll_on_an_api_node_is_held_while_other_nodes_run_the_job_and_answers_when_they_finish_it()
    {
        // This node runs no jobs: whatever it answers, it learnt from the other nodes through the database.
        await using var api = new FacadeApplication(new Dictionary<string, string?>(shared) { ["Server:Role"] = "Api" }, database.ConnectionString).Start();
        var client = new AsyncClient(api.CreateRawClient());
        var finishing = await StartHeldJobAsync(api);
        var running = await StartHeldJobAsync(api);
        var export = await client.KickOffAsync("/fhir/$export?_type=Patient,Encounter");

        var untilFinished = client.LongPollAsync(finishing, 10);
        var untilTimeout = client.LongPollAsync(running, 2);
        var exported = client.LongPollAsync(export, 10);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.False(untilFinished.IsCompleted, "the long poll should hold while the job runs");
        TestJobHandlers.Release(JobId(finishing));
        var releasedAt = Stopwatch.StartNew();

        var (finished, _) = await untilFinished;
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.True(releasedAt.Elapsed < TimeSpan.FromSeconds(1.5), $"answered {releasedAt.Elapsed.TotalSeconds:0.00} s after the job finished");
        var (timedOut, waited) = await untilTimeout;
        Assert.Equal(HttpStatusCode.Accepted, timedOut.StatusCode);
        Assert.True(waited >= TimeSpan.FromSeconds(1.8), $"let go after {waited.TotalSeconds:0.00} s");
        var manifest = await FhirAssert.JsonAsync((await exported).Response);
        Assert.Equal(2, manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()).Distinct().Count());
        await client.Http.DeleteAsync(running, ct);
    }

    [Fact]
    public async Task Export_run_on_one_node_is_downloaded_from_the_other_with_range_and_gzip()
    {
        var a = new AsyncClient(nodeA.CreateRawClient());
        var status = await a.KickOffAsync("/fhir/$export?_type=Patient,Observation");
        var (done, _) = await a.LongPollAsync(status, 30);
        var manifest = await FhirAssert.JsonAsync(done);
        var onB = nodeB.CreateRawClient();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            // The manifest's URL names node A; node B serves the same path from the shared container.
            var path = new Uri(output.GetProperty("url").GetString()!).AbsolutePath;
            var whole = await onB.GetByteArrayAsync(path, ct);
            var lines = System.Text.Encoding.UTF8.GetString(whole).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Length);

            using var ranged = new HttpRequestMessage(HttpMethod.Get, path);
            ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
            using var part = await onB.SendAsync(ranged, ct);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(whole[10..20], await part.Content.ReadAsByteArrayAsync(ct));

            using var zipped = new HttpRequestMessage(HttpMethod.Get, path);
            zipped.Headers.AcceptEncoding.ParseAdd("gzip");
            using var gzip = await onB.SendAsync(zipped, ct);
            Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
            await using var unzipped = new System.IO.Compression.GZipStream(await gzip.Content.ReadAsStreamAsync(ct), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(unzipped);
            Assert.Equal(lines.Length, (await reader.ReadToEndAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        Assert.True(manifest.GetProperty("output").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task Cancel_on_one_node_stops_the_run_on_whichever_node_holds_it_within_a_second()
    {
        var job = await StartBlockingJobAsync(nodeA);
        var started = DateTime.UtcNow;

        using var cancel = await nodeB.CreateRawClient().DeleteAsync($"/fhir/_async/{job}", ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.HasStopped(job)), s => s, TimeSpan.FromSeconds(5), "the run to stop");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1.5), "the cancel took effect too slowly across nodes");
        Assert.Equal(HttpStatusCode.NotFound, (await nodeA.CreateRawClient().GetAsync($"/fhir/_async/{job}", ct)).StatusCode);
    }

    [Fact]
    public async Task Jobs_enqueued_on_both_nodes_each_run_exactly_once_and_end_in_one_state()
    {
        var queues = new[] { nodeA.GetRequiredService<JobQueue>(), nodeB.GetRequiredService<JobQueue>() };
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var job = await queues[i % 2].EnqueueAsync(TestJobHandlers.Echo, JobOwner.Anonymous, new JobRequest("GET", $"Patient/{i}", JobRequest.NoHeaders), ct);
            ids.Add(job.Id);
            queues[(i + 1) % 2].Resubmit(job); // a duplicate delivery through the other node
        }

        var store = nodeB.GetRequiredService<IJobStore>();
        foreach (var id in ids)
        {
            var done = await Eventually.WaitForAsync(() => store.GetAsync(id, ct), j => j!.State.IsTerminal(), TimeSpan.FromSeconds(30), $"job {id}");
            Assert.Equal(JobState.Completed, done!.State);
        }
        await Task.Delay(500, ct); // let any stray duplicate delivery reach (and be refused by) its claim
        Assert.All(ids, id => Assert.Equal(1, TestJobHandlers.Runs(id)));
    }

    [Fact]
    public async Task A_worker_node_runs_jobs_but_serves_no_FHIR_api()
    {
        await using var worker = new FacadeApplication(new Dictionary<string, string?> { ["Server:Role"] = "Worker" }, database.ConnectionString).Start();
        var client = worker.CreateRawClient();

        await FhirAssert.OperationOutcomeAsync(await client.GetAsync("/fhir/Patient", ct), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", ct)).StatusCode);
    }

    private static string JobId(string statusUrl) => statusUrl[(statusUrl.LastIndexOf('/') + 1)..];

    /// <summary>A job that runs (on a node that runs jobs) until <see cref="TestJobHandlers.Release"/>; its status URL on <paramref name="node"/>.</summary>
    private async Task<string> StartHeldJobAsync(FacadeApplication node)
    {
        var queue = node.GetRequiredService<JobQueue>();
        var job = await queue.EnqueueAsync(queue.NewJob(TestJobHandlers.Hold, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders))
            with { BaseUrl = node.ServerAddress + "fhir" }, ct);
        return $"{node.ServerAddress}fhir/_async/{job.Id}";
    }

    private string OnB(string statusUrl) => nodeB.ServerAddress + statusUrl[statusUrl.IndexOf("fhir/", StringComparison.Ordinal)..];

    private async Task<string> StartBlockingJobAsync(FacadeApplication node)
    {
        var queue = node.GetRequiredService<JobQueue>();
        var job = await queue.EnqueueAsync(queue.NewJob(TestJobHandlers.Block, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders))
            with { BaseUrl = node.ServerAddress + "fhir" }, ct);
        var store = node.GetRequiredService<IJobStore>();
        await Eventually.WaitForAsync(() => store.GetAsync(job.Id, ct), j => j?.Progress == "blocking", what: "the blocking job to start");
        return job.Id;
    }
}
