using AsyncFacade.Server.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Tests.Storage;

public sealed class LocalOutputStoreTests : OutputStoreContract, IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", "store-" + Guid.NewGuid().ToString("N"));

    public LocalOutputStoreTests() =>
        Store = new LocalOutputStore(Options.Create(new StorageOptions { LocalPath = root }));

    protected override IOutputStore Store { get; }

    protected override bool AbandonedWriterKeepsALock => true;

    [Fact]
    public async Task An_uncommitted_object_leaves_no_file_behind()
    {
        var job = NewJob();
        await WriteAsync($"{job}/half.ndjson", "partial", commit: false);

        Assert.Empty(Directory.GetFiles(Path.Combine(root, job)));
    }

    [Fact]
    public async Task The_disk_hands_out_no_signed_links()
    {
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "a\n", commit: true);

        Assert.Null(await Store.GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddHours(1), ct));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
