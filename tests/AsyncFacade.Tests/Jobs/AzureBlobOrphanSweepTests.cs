using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Storage.AzureBlob;
using AsyncFacade.Tests.Infrastructure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFacade.Tests.Jobs;

/// <summary>
/// The orphan sweep on Azurite: an orphaned job's committed blobs and an abandoned upload (staged blocks, never committed)
/// both go; a live job's blobs stay. Own container, key prefix set, in-memory job records.
/// </summary>
[Collection(InMemoryCollection.Name)]
public sealed class AzureBlobOrphanSweepTests(InMemoryFacade fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Grace = new JobsOptions().OrphanGrace;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string container = TestAzurite.NewContainer("sweep");
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly IJobStore jobs = fixture.App.GetRequiredService<IJobStore>();
    private AzureBlobOutputStore output = null!;

    public ValueTask InitializeAsync()
    {
        output = new AzureBlobOutputStore(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.AzureBlob,
            Azure = new AzureBlobStorageOptions { ConnectionString = TestAzurite.ConnectionString, Container = container, Prefix = "jobs" },
        }), TimeProvider.System, NullLogger<AzureBlobOutputStore>.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() =>
        await new BlobServiceClient(TestAzurite.ConnectionString).GetBlobContainerClient(container).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);

    [Fact]
    public async Task Orphaned_blobs_and_abandoned_uploads_are_removed_and_a_live_jobs_blobs_stay()
    {
        var sweep = new OrphanSweep(jobs, output, time, Options.Create(new JobsOptions()), NullLogger<OrphanSweep>.Instance);
        var orphan = Guid.NewGuid().ToString("N");
        var abandoned = Guid.NewGuid().ToString("N");
        var live = Guid.NewGuid().ToString("N");
        await jobs.CreateAsync(new JobRecord
        {
            Id = live, Owner = "client-sweep", Kind = TestJobHandlers.Echo, Request = new JobRequest("GET", "Patient", new Dictionary<string, string>()),
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        }, ct);
        await CommitAsync($"{orphan}/files/Patient-1.ndjson");
        await CommitAsync($"{live}/files/Patient-1.ndjson");
        // A node killed mid-file: staged blocks, no commit, the writer never disposed.
        var writer = await output.CreateAsync($"{abandoned}/files/Patient-1.ndjson", ct);
        await writer.Content.WriteAsync("{}\n"u8.ToArray(), ct);
        await writer.Content.FlushAsync(ct);
        Assert.Contains(abandoned, await ListAsync());

        await sweep.SweepAsync(ct);
        time.Advance(Grace);
        Assert.Equal(2, await sweep.SweepAsync(ct));

        Assert.Equal([live], await ListAsync());
        Assert.NotNull(await output.OpenReadAsync($"{live}/files/Patient-1.ndjson", ct));
    }

    private async Task CommitAsync(string key)
    {
        await using var writer = await output.CreateAsync(key, ct);
        await writer.Content.WriteAsync("{}\n"u8.ToArray(), ct);
        await writer.CommitAsync(ct);
    }

    private async Task<List<string>> ListAsync()
    {
        var prefixes = new List<string>();
        await foreach (var prefix in output.ListPrefixesAsync(ct))
        {
            prefixes.Add(prefix);
        }
        return prefixes;
    }
}
