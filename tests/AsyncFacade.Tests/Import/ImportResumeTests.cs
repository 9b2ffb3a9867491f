using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Storage.S3;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using AsyncFacade.Tests.Storage;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// An import is killed (SIGKILL) midway; a new process on the same database and storage resumes it from its per-input
/// checkpoint — with the source file and the output on a shared disk, or both in Azure Blob Storage (Azurite) or in S3
/// (s3rver) with no disk shared between the processes (the source read as az:// or s3://, the error file resumed in the
/// store). The upstream (outside both processes) ends up with every resource once, and only the batch that was in
/// flight at the kill can have been written twice (PUT by id: same content, one more version). A client polling all
/// along (the node down included) was never lied to: 202s whose counts never went back or ran ahead, then one 200.
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

    [Theory]
    [InlineData(TestObjectStores.Local)]
    [InlineData(TestObjectStores.AzureBlob)]
    [InlineData(TestObjectStores.S3)]
    public async Task Killed_import_resumes_from_its_checkpoint_and_writes_every_resource_once(string storage)
    {
        var lines = Patients("k", Lines).ToList();
        lines[12_345] = "{broken"; // an error line before and after the kill must be reported exactly once
        var settings = new Dictionary<string, string>(TestObjectStores.ProcessSettings(storage))
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Upstream__BaseUrl"] = target.BaseUrl,
            ["Import__BatchSize"] = BatchSize.ToString(), // 1,500 batches: slow enough to be caught midway
            ["Async__ThrottleOverPolling"] = "false", // the watch below polls faster than Retry-After on purpose
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = "3",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
        };
        string source;
        if (storage == TestObjectStores.AzureBlob)
        {
            var container = new Azure.Storage.Blobs.BlobContainerClient(TestAzurite.ConnectionString, TestAzurite.NewContainer("import-source"));
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
            await container.GetBlobClient("patients.ndjson").UploadAsync(BinaryData.FromString(string.Join('\n', lines) + "\n"), ct);
            settings["Storage__Azure__ImportContainers__0"] = container.Name;
            source = $"az://{container.Name}/patients.ndjson";
        }
        else if (storage == TestObjectStores.S3)
        {
            var buckets = new S3TestBucket();
            await buckets.InitializeAsync();
            using var s3 = S3ClientFactory.Create(buckets.Options().S3);
            await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
            {
                BucketName = buckets.ImportName,
                Key = "patients.ndjson",
                ContentBody = string.Join('\n', lines) + "\n",
                UseChunkEncoding = false,
            }, ct);
            settings["Storage__S3__ImportBuckets__0"] = buckets.ImportName;
            source = $"s3://{buckets.ImportName}/patients.ndjson";
        }
        else
        {
            var file = Path.Combine(directory, "patients.ndjson");
            await File.WriteAllLinesAsync(file, lines, ct);
            settings["Import__FileDirectory"] = directory;
            settings["Storage__LocalPath"] = Path.Combine(directory, "output");
            source = new Uri(file).AbsoluteUri;
        }

        await using var first = ServerProcess.Start(settings);
        using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        using var accepted = await http.SendAsync(KickOff(Parameters(("Patient", source))), ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // Every ~150 ms from kick-off to the end, whichever process is up (or none): the status must never lie.
        await using var watch = StatusWatch.Start(http.BaseAddress, accepted.Content.Headers.ContentLocation!.AbsolutePath);
        await watch.WaitForAsync(o => o.Counter("lines") >= 3000, TimeSpan.FromSeconds(60), "the import to get going");
        watch.NodeDown();
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var beforeResume = await ImportedSoFarAsync();

        await using var second = ServerProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        watch.NodeUp(client.BaseAddress);
        var final = await watch.FinalAsync(TimeSpan.FromSeconds(120));
        // One line is broken: it is reported once, and never counted as an error twice.
        watch.AssertNeverLied(new Dictionary<string, long> { ["lines"] = Lines, ["errors"] = 1 });
        var manifest = JsonDocument.Parse(final.Body!).RootElement;

        Assert.True(beforeResume < Lines - 1, "the import finished before it was killed; nothing was resumed");
        Assert.Equal(Lines - 1, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        var errors = await ErrorsAsync(client, manifest);
        Assert.Contains("line 12346", Assert.Single(errors).Diagnostics);
        var written = await PatientsInTargetAsync();
        // Exactly the resources of the file's good lines, none missing, none extra.
        Assert.Equal(Enumerable.Range(0, Lines).Where(i => i != 12_345).Select(i => $"k-{i}").Order(StringComparer.Ordinal),
            written.Keys.Order(StringComparer.Ordinal));
        Assert.True(written.Values.Count(v => v != "1") <= BatchSize, $"{written.Values.Count(v => v != "1")} resources were written more than once");
    }

    /// <summary>Patients in the target so far (the upstream outlives both facade processes).</summary>
    private async Task<int> ImportedSoFarAsync()
    {
        var bundle = await BundleJson.GetAsync(target.Client, "Patient?_summary=count&_total=accurate", ct);
        return bundle.GetProperty("total").GetInt32();
    }

    /// <summary>id → meta.versionId of every Patient in the target, page by page.</summary>
    private async Task<Dictionary<string, string>> PatientsInTargetAsync()
    {
        var versions = new Dictionary<string, string>();
        for (var url = "Patient?_count=1000"; url is not null;)
        {
            var page = await BundleJson.GetAsync(target.Client, url, ct);
            foreach (var patient in BundleJson.Resources(page))
            {
                Assert.True(versions.TryAdd(patient.GetProperty("id").GetString()!, patient.GetProperty("meta").GetProperty("versionId").GetString()!),
                    "the target listed a Patient twice");
            }
            url = BundleJson.Link(page, "next");
        }
        return versions;
    }
}
