using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// An export is stopped midway (killed with SIGKILL, or shut down with SIGTERM); a new process on the same database and
/// storage resumes it from its last checkpoint, and the files hold every resource exactly once — on a shared directory,
/// and on each object store with no disk shared (the killed process's unfinished blob or multipart upload is resumed). A client polling all
/// along (the node down included) was never lied to: 202s whose counts never went back or ran ahead, then one 200
/// manifest that stayed the same.
/// </summary>
public sealed class ExportResumeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;

    public async ValueTask InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync(ct);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    [Theory]
    [InlineData(TestObjectStores.Local)]
    [InlineData(TestObjectStores.AzureBlob)]
    [InlineData(TestObjectStores.S3)]
    public Task Killed_export_resumes_and_exports_every_resource_exactly_once(string storage) =>
        // A dead node's units are taken over once their heartbeat is 3 s old.
        StopMidwayAndResumeAsync(patients: 3000, orphanAfterSeconds: 3, stop: node => { node.Kill(); return Task.CompletedTask; }, storage);

    [Fact]
    public Task Export_shut_down_by_SIGTERM_is_handed_over_and_resumed_at_once_after_restart() =>
        // Orphans are taken over only after 10 minutes: the restarted node can resume at once only because the shutdown
        // put the interrupted units back in the queue, their checkpoints saved.
        StopMidwayAndResumeAsync(patients: 1000, orphanAfterSeconds: 600, stop: node => node.TerminateAsync(), TestObjectStores.Local);

    private async Task StopMidwayAndResumeAsync(int patients, int orphanAfterSeconds, Func<ServerProcess, Task> stop, string storage)
    {
        var settings = new Dictionary<string, string>(TestObjectStores.ProcessSettings(storage))
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["SampleUpstream__Patients"] = patients.ToString(), // 12 Observations each
            ["Export__PageSize"] = "10",              // thousands of pages: slow enough to be caught midway
            ["Export__SliceSize"] = "10000",          // time slices, two running at a time
            ["Export__MaxParallelism"] = "2",
            ["Export__MaxResourcesPerFile"] = "5000", // several files, so committed and open files are both resumed
            ["Async__ThrottleOverPolling"] = "false", // the watch below polls faster than Retry-After on purpose
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = orphanAfterSeconds.ToString(),
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
        };

        await using var first = ServerProcess.Start(settings);
        using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        var expected = (await BundleJson.GetAsync(http, "upstream/fhir/Observation?_summary=count&_total=accurate", ct)).GetProperty("total").GetInt64();
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Observation");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // Every ~150 ms from kick-off to the end, whichever process is up (or none): the status must never lie.
        await using var watch = StatusWatch.Start(http.BaseAddress, accepted.Content.Headers.ContentLocation!.AbsolutePath);
        var atStop = await watch.WaitForAsync(o => o.Counter("resources") >= expected / 12, TimeSpan.FromSeconds(60), "the export to get going");
        watch.NodeDown();
        await stop(first);
        var exit = await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit is not null, "The server did not stop:\n" + first.Output);
        Assert.True(atStop.Counter("resources") < expected * 8 / 10, "The export was nearly done when it was stopped; the test proves nothing.");

        await using var second = ServerProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        watch.NodeUp(client.BaseAddress);
        var final = await watch.FinalAsync(TimeSpan.FromSeconds(120));
        watch.AssertNeverLied(new Dictionary<string, long> { ["resources"] = expected });

        var manifest = JsonDocument.Parse(final.Body!).RootElement;
        foreach (var error in manifest.GetProperty("error").EnumerateArray())
        {
            // The error file says why, which the manifest entry alone does not.
            Assert.Fail("The resumed export reported errors:\n" + await client.GetStringAsync(new Uri(error.GetProperty("url").GetString()!).AbsolutePath, ct) +
                "\nThe second node's errors:\n" + string.Join('\n', second.Output.Split('\n').Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal))));
        }
        var ids = new HashSet<string>();
        long total = 0;
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            Assert.Equal("Observation", output.GetProperty("type").GetString());
            // By path: the URLs carry the base of the process that took the kick-off.
            var path = new Uri(output.GetProperty("url").GetString()!).AbsolutePath;
            var lines = (await client.GetStringAsync(path, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Length, output.GetProperty("count").GetInt64());
            foreach (var line in lines)
            {
                var resource = JsonDocument.Parse(line).RootElement;
                Assert.Equal("Observation", resource.GetProperty("resourceType").GetString());
                Assert.True(ids.Add(resource.GetProperty("id").GetString()!), "a resource was exported twice");
            }
            total += lines.Length;
        }
        Assert.Equal(patients * 12, expected);
        Assert.Equal(expected, total);
        Assert.True(manifest.GetProperty("output").GetArrayLength() >= expected / 5000, "fewer files than Export:MaxResourcesPerFile makes");
    }
}
