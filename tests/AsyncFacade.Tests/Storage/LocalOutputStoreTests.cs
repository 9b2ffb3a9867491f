using System.Text;
using AsyncFacade.Server.Storage;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

[Collection(InMemoryCollection.Name)]
public sealed class LocalOutputStoreTests(InMemoryFacade fixture)
{
    private readonly IOutputStore store = fixture.App.GetRequiredService<IOutputStore>();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Committed_object_reads_back_and_prefix_delete_removes_it()
    {
        var job = Guid.NewGuid().ToString("N");
        await WriteAsync($"{job}/Patient-1.ndjson", "{\"resourceType\":\"Patient\"}\n", commit: true);

        await using (var read = await store.OpenReadAsync($"{job}/Patient-1.ndjson", ct))
        {
            Assert.NotNull(read);
            Assert.Equal(27, read.Length);
            Assert.Equal("{\"resourceType\":\"Patient\"}\n", await new StreamReader(read.Content).ReadToEndAsync(ct));
        }

        await store.DeletePrefixAsync(job, ct);
        Assert.Null(await store.OpenReadAsync($"{job}/Patient-1.ndjson", ct));
    }

    [Fact]
    public async Task Uncommitted_object_is_never_visible_and_leaves_nothing_behind()
    {
        var job = Guid.NewGuid().ToString("N");
        await WriteAsync($"{job}/half.ndjson", "partial", commit: false);

        Assert.Null(await store.OpenReadAsync($"{job}/half.ndjson", ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.App.OutputDirectory, job)));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("job/../../escape")]
    [InlineData("/absolute")]
    [InlineData("job//double")]
    [InlineData("job\\windows")]
    [InlineData("job/%2e%2e")]
    [InlineData("")]
    public async Task Keys_that_could_leave_the_store_are_refused(string key)
    {
        Assert.False(OutputKey.IsValid(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(key, ct));
    }

    private async Task WriteAsync(string key, string text, bool commit)
    {
        await using var writer = await store.CreateAsync(key, ct);
        await writer.Content.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        if (commit)
        {
            await writer.CommitAsync(ct);
        }
    }
}
