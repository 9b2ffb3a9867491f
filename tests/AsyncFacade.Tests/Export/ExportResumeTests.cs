using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// An export is killed (SIGKILL) midway; a new process on the same database and storage resumes it from its last
/// checkpoint, and the files hold every resource exactly once.
/// </summary>
public sealed class ExportResumeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;

    public async ValueTask InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync(ct);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Killed_export_resumes_and_exports_every_resource_exactly_once()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["SampleUpstream__Patients"] = "3000",   // 36,000 Observations
            ["Export__PageSize"] = "10",              // 3,600 pages: slow enough to be caught midway
            ["Export__SliceSize"] = "10000",          // time slices, two running at a time
            ["Export__MaxParallelism"] = "2",
            ["Export__MaxResourcesPerFile"] = "5000", // several files, so committed and open files are both resumed
            ["Async__ThrottleOverPolling"] = "false", // the probe below polls fast to catch the export midway
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = "3",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
            ["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
        };

        string statusPath;
        await using (var first = ServerProcess.Start(settings))
        {
            using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
            (statusPath, var exported) = await StartObservationExportAsync(http, atLeast: 3000);
            Assert.True(exported < 30_000, "The export was nearly done before the kill; the test proves nothing.");
            first.Kill();
        }

        var (total, manifest) = await FinishInNewProcessAsync(settings, statusPath);
        Assert.Equal(36_000, total);
        Assert.True(manifest.GetProperty("output").GetArrayLength() >= 7);
    }

    /// <summary>Kicks off an Observation export and waits until its progress counts at least <paramref name="atLeast"/> resources.</summary>
    internal static async Task<(string StatusPath, long Exported)> StartObservationExportAsync(HttpClient http, long atLeast)
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
    internal static async Task<(long Total, JsonElement Manifest)> FinishInNewProcessAsync(IDictionary<string, string> settings, string statusPath)
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
    internal static async Task<long> ExportedSoFarAsync(HttpClient http, string statusPath)
    {
        using var response = await http.GetAsync(statusPath, TestContext.Current.CancellationToken);
        var progress = AsyncClient.Progress(response) ?? "";
        // "exporting: 0 of 1 types done, 3,210 resources, 2 s elapsed"
        var digits = progress.Split(", ").FirstOrDefault(p => p.EndsWith(" resources", StringComparison.Ordinal))?.Replace(" resources", "").Replace(",", "");
        return long.TryParse(digits, out var count) ? count : 0;
    }
}
