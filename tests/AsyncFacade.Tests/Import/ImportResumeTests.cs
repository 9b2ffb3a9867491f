using System.Net;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// An import is killed (SIGKILL) midway; a new process on the same database and storage resumes it from its per-input
/// checkpoint. The upstream (outside both processes) ends up with every resource once, and only the batch that was in
/// flight at the kill can have been written twice (PUT by id: same content, one more version).
/// </summary>
public sealed class ImportResumeTests : IAsyncLifetime
{
    private const int Lines = 30_000;
    private const int BatchSize = 20;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "asyncfacade-import-tests", Guid.NewGuid().ToString("N"));
    private TestPostgres database = null!;
    private SampleUpstreamHost target = null!;

    public async ValueTask InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync(ct);
        target = await SampleUpstreamHost.StartAsync(0, seed: 1, ct);
        Directory.CreateDirectory(directory);
    }

    public async ValueTask DisposeAsync()
    {
        await target.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Killed_import_resumes_from_its_checkpoint_and_writes_every_resource_once()
    {
        var file = Path.Combine(directory, "patients.ndjson");
        var lines = Patients("k", Lines).ToList();
        lines[12_345] = "{broken"; // an error line before and after the kill must be reported exactly once
        await File.WriteAllLinesAsync(file, lines, ct);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Upstream__BaseUrl"] = target.BaseUrl,
            ["Import__FileDirectory"] = directory,
            ["Import__BatchSize"] = BatchSize.ToString(), // 1,500 batches: slow enough to be caught midway
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = "3",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
            ["Storage__LocalPath"] = Path.Combine(directory, "output"),
        };

        string statusPath;
        await using (var first = ServerProcess.Start(settings))
        {
            using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
            using var accepted = await http.SendAsync(KickOff(Parameters(("Patient", new Uri(file).AbsoluteUri))), ct);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            statusPath = accepted.Content.Headers.ContentLocation!.AbsolutePath;
            await Eventually.WaitForAsync(() => ImportedSoFarAsync(), n => n >= 3000, TimeSpan.FromSeconds(60), "the import to get going");
            first.Kill();
        }
        var beforeResume = await ImportedSoFarAsync();

        await using var second = ServerProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        using var done = await new AsyncClient(client).WaitAsync(statusPath, TimeSpan.FromSeconds(120));
        Assert.True(done.StatusCode == HttpStatusCode.OK, "The resumed import did not finish well:\n" + second.Output);
        var manifest = await FhirAssert.JsonAsync(done);

        Assert.True(beforeResume < Lines - 1, "the import finished before it was killed; nothing was resumed");
        Assert.Equal(Lines - 1, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        var errors = await ErrorsAsync(client, manifest);
        Assert.Contains("line 12346", Assert.Single(errors).Diagnostics);
        var versions = await VersionsAsync();
        Assert.Equal(Lines - 1, versions.Count);
        Assert.True(versions.Count(v => v != "1") <= BatchSize, $"{versions.Count(v => v != "1")} resources were written more than once");
    }

    /// <summary>Patients in the target so far (the upstream outlives both facade processes).</summary>
    private async Task<int> ImportedSoFarAsync()
    {
        var bundle = await BundleJson.GetAsync(target.Client, "Patient?_summary=count&_total=accurate", ct);
        return bundle.GetProperty("total").GetInt32();
    }

    /// <summary>meta.versionId of every Patient in the target, page by page.</summary>
    private async Task<List<string>> VersionsAsync()
    {
        var versions = new List<string>();
        for (var url = "Patient?_count=1000"; url is not null;)
        {
            var page = await BundleJson.GetAsync(target.Client, url, ct);
            versions.AddRange(BundleJson.Resources(page).Select(r => r.GetProperty("meta").GetProperty("versionId").GetString()!));
            url = BundleJson.Link(page, "next");
        }
        return versions;
    }
}
