using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Export;
using AsyncFacade.Tests.Import;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFacade.Tests.Jobs;

/// <summary>
/// Graceful shutdown (SIGTERM, host stop): running jobs stop at their next checkpoint, let go of their lease and are
/// queued again, never failed or cancelled, so the restarted process or another node resumes them at once. Every
/// test sets Jobs:OrphanAfterSeconds far beyond its own deadline: only the hand-over can explain a prompt resume.
/// </summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;

    public async ValueTask InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync(ct);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Sigterm_stops_a_running_export_at_a_checkpoint_and_the_restarted_process_finishes_it_exactly()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["SampleUpstream__Patients"] = "1000",        // 12,000 Observations
            ["SampleUpstream__LatencyMilliseconds"] = "20", // every page takes a while: the export runs for many seconds
            ["Export__PageSize"] = "10",
            ["Export__SliceSize"] = "5000",               // time slices, two running at a time
            ["Export__MaxParallelism"] = "2",
            ["Export__MaxResourcesPerFile"] = "2000",     // committed and open files both resume
            ["Async__ThrottleOverPolling"] = "false",      // the probe below polls fast to catch the export midway
            ["Jobs__ShutdownTimeoutSeconds"] = "10",
            ["Jobs__OrphanAfterSeconds"] = "600",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
            ["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
        };

        string statusPath;
        await using (var first = ServerProcess.Start(settings))
        {
            using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
            (statusPath, var exported) = await StartObservationExportAsync(http, atLeast: 1000);
            Assert.True(exported < 10_000, "The export was nearly done before the stop; the test proves nothing.");

            var stopwatch = Stopwatch.StartNew();
            await first.TerminateAsync();
            var exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(15));

            Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none: still running"} after SIGTERM\n{first.Output}");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {stopwatch.Elapsed}, longer than Jobs:ShutdownTimeoutSeconds");
            Assert.Contains("\"EventId\":4006", first.Output);        // interrupted by shutdown, handed back
            Assert.DoesNotContain("\"EventId\":4017", first.Output);  // no job had to be cancelled at the deadline: each stopped at a checkpoint
        }

        var exportId = statusPath[(statusPath.LastIndexOf('/') + 1)..];
        var jobs = await ReadJobsAsync(exportId);
        Assert.All(jobs, j => Assert.True(j.State is "running" or "queued" or "completed", $"{j.Id} is {j.State} after a graceful shutdown"));
        Assert.All(jobs, j => Assert.True(j.Lease is null, $"{j.Id} ({j.State}) still holds a lease"));
        Assert.Equal("running", jobs.Single(j => j.Id == exportId).State);
        var interrupted = jobs.Where(j => j.Id != exportId && j.State == "running").ToList();
        Assert.NotEmpty(interrupted);
        Assert.All(interrupted, j => Assert.True(JsonSerializer.Deserialize<ExportUnitCheckpoint>(j.Checkpoint!)!.Position.Resources > 0,
            $"unit {j.Id} was interrupted without a checkpoint of its progress"));

        Assert.Equal(12_000, (await FinishInNewProcessAsync(settings, statusPath)).Total);
    }

    [Fact]
    public async Task A_job_that_reaches_no_checkpoint_is_cancelled_at_the_shutdown_deadline_and_another_node_takes_it_at_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
            ["Jobs:OrphanAfterSeconds"] = "600",
            ["Jobs:ShutdownTimeoutSeconds"] = "2", // 1 s to reach a checkpoint, which this job never does
        };
        await using var nodeA = new FacadeApplication(settings, database.ConnectionString).Start();
        var queue = nodeA.GetRequiredService<JobQueue>();
        var job = await queue.EnqueueAsync(queue.NewJob(TestJobHandlers.Block, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders))
            with { BaseUrl = nodeA.ServerAddress + "fhir" }, ct);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.Runs(job.Id)), n => n == 1, what: "the job to start on node A");
        await using var nodeB = new FacadeApplication(settings, database.ConnectionString).Start();

        var stopwatch = Stopwatch.StartNew();
        await nodeA.GetRequiredService<IHost>().StopAsync(ct);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"Stopping node A took {stopwatch.Elapsed}");
        Assert.True(TestJobHandlers.HasStopped(job.Id));

        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.Runs(job.Id)), n => n == 2, TimeSpan.FromSeconds(10), "node B to take the job over");
        var record = await nodeB.GetRequiredService<IJobStore>().GetAsync(job.Id, ct);
        Assert.Equal(JobState.Running, record!.State);
        Assert.NotNull(record.Lease);
        using var cancel = await nodeB.CreateRawClient().DeleteAsync($"/fhir/_async/{job.Id}", ct);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
    }

    [Fact]
    public async Task A_stopping_node_stops_an_import_at_each_inputs_checkpoint_and_another_node_finishes_it()
    {
        await using var target = await SampleUpstreamHost.StartAsync(0, seed: 1, ct, new Dictionary<string, string?> { ["SampleUpstream:LatencyMilliseconds"] = "100" });
        await using var sources = await NdjsonSourceHost.StartAsync(ct);
        var prefix = "s" + Guid.NewGuid().ToString("N")[..8];
        var urls = Enumerable.Range(0, 3).Select(i => sources.Add($"{prefix}-{i}.ndjson", ImportCalls.Patients($"{prefix}-{i}", 400))).ToArray();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
            ["Upstream:BaseUrl"] = target.BaseUrl,
            ["Import:AllowedHosts:0"] = "127.0.0.1",
            ["Import:BatchSize"] = "10",          // 40 batches per file, each written in at least 100 ms: several seconds in all
            ["Import:MaxParallelism"] = "2",
            ["Jobs:OrphanAfterSeconds"] = "600",
            ["Jobs:ShutdownTimeoutSeconds"] = "10", // 5 s to reach a checkpoint: plenty for one batch
            ["Logging:LogLevel:AsyncFacade"] = "Information",
        };
        var logs = new LogRecorder();
        // Both nodes share the output directory; disposing node A would delete it, so A's host is only stopped until the end.
        await using var nodeA = new FacadeApplication(settings, database.ConnectionString, s => s.AddSingleton<ILoggerProvider>(logs)).Start();
        var client = new AsyncClient(nodeA.CreateRawClient());
        var status = await client.KickOffAsync(ImportCalls.KickOff(ImportCalls.Parameters(urls.Select(u => ("Patient", u)).ToArray()), prefer: null));
        var id = status[(status.LastIndexOf('/') + 1)..];
        await Eventually.WaitForAsync(() => nodeA.GetRequiredService<IJobStore>().GetAsync(id, ct), j => j?.Checkpoint is not null, TimeSpan.FromSeconds(30),
            "the import's first checkpoint");
        await using var nodeB = new FacadeApplication(settings, database.ConnectionString).Start();
        Assert.True((await nodeB.GetRequiredService<IJobStore>().GetAsync(id, ct))!.State == JobState.Running, "The import ended before the stop; the test proves nothing.");

        await nodeA.GetRequiredService<IHost>().StopAsync(ct);

        Assert.Contains(logs.Entries, e => e.EventId == 4006);     // handed back
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 4017); // at its checkpoints, not cut off at the deadline
        var onB = nodeB.ServerAddress + status[status.IndexOf("fhir/", StringComparison.Ordinal)..];
        using var done = await new AsyncClient(nodeB.CreateRawClient()).WaitAsync(onB, TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);
        Assert.Equal([400L, 400, 400], manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("count").GetInt64()));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await target.Client.GetAsync($"Patient/{prefix}-{i}-399", ct)).StatusCode);
        }
    }

    private async Task<List<(string Id, string State, string? Lease, string? Checkpoint)>> ReadJobsAsync(string exportId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("select id, state, lease, checkpoint::text from asyncfacade.jobs where id = $1 or parent_id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = exportId } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<(string, string, string?, string?)>();
        while (await reader.ReadAsync(ct))
        {
            jobs.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return jobs;
    }

    /// <summary>Kicks off an Observation export and waits until its progress counts at least <paramref name="atLeast"/> resources.</summary>
    private static async Task<(string StatusPath, long Exported)> StartObservationExportAsync(HttpClient http, long atLeast)
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Observation");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var statusPath = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        var exported = await Eventually.WaitForAsync(() => ExportedSoFarAsync(http, statusPath), n => n >= atLeast, TimeSpan.FromSeconds(60), "the export to get going");
        return (statusPath, exported);
    }

    /// <summary>A new process on the same settings finishes the export; returns its manifest and its resources, each checked to be there once.</summary>
    private static async Task<(long Total, JsonElement Manifest)> FinishInNewProcessAsync(IDictionary<string, string> settings, string statusPath)
    {
        await using var second = ServerProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        using var done = await new AsyncClient(client).WaitAsync(statusPath, TimeSpan.FromSeconds(120));
        Assert.True(done.StatusCode == HttpStatusCode.OK, $"The resumed export did not finish well: {(int)done.StatusCode}\n" + second.Output);
        var manifest = await FhirAssert.JsonAsync(done);
        return (await CountEachOnceAsync(client, manifest), manifest);
    }

    /// <summary>Downloads every file of an export manifest with no errors; fails on a resource exported twice; returns how many there are.</summary>
    private static async Task<long> CountEachOnceAsync(HttpClient client, JsonElement manifest)
    {
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var ids = new HashSet<string>();
        long total = 0;
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var path = new Uri(output.GetProperty("url").GetString()!).AbsolutePath;
            var lines = (await client.GetStringAsync(path, TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Length, output.GetProperty("count").GetInt64());
            foreach (var line in lines)
            {
                Assert.True(ids.Add(JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!), "a resource was exported twice");
            }
            total += lines.Length;
        }
        return total;
    }

    /// <summary>The resource count in an export's X-Progress; 0 before it says one.</summary>
    private static async Task<long> ExportedSoFarAsync(HttpClient http, string statusPath)
    {
        using var response = await http.GetAsync(statusPath, TestContext.Current.CancellationToken);
        var progress = AsyncClient.Progress(response) ?? "";
        // "exporting: 0 of 1 types done, 3,210 resources, 2 s elapsed"
        var digits = progress.Split(", ").FirstOrDefault(p => p.EndsWith(" resources", StringComparison.Ordinal))?.Replace(" resources", "").Replace(",", "");
        return long.TryParse(digits, out var count) ? count : 0;
    }
}
