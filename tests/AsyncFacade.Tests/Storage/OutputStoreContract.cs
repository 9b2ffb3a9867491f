using System.Security.Cryptography;
using System.Text;
using AsyncFacade.Server.Storage;

namespace AsyncFacade.Tests.Storage;

/// <summary>
/// What every output store must do, run once per provider (local disk, Azurite, the S3 server test.sh starts):
/// the export's resume, the manifest's downloads and the job's clean-up rely on exactly these behaviours.
/// Each test uses its own job prefix, so providers can share one container or bucket across runs.
/// </summary>
public abstract class OutputStoreContract
{
    protected readonly CancellationToken ct = TestContext.Current.CancellationToken;

    protected abstract IOutputStore Store { get; }

    /// <summary>The local disk's writer holds the file open in this process, where a killed process would not.</summary>
    protected virtual bool AbandonedWriterKeepsALock => false;

    protected static string NewJob() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Committed_object_reads_back_and_prefix_delete_removes_it()
    {
        var job = NewJob();
        await WriteAsync($"{job}/Patient-1.ndjson", "{\"resourceType\":\"Patient\"}\n", commit: true);

        await using (var read = await Store.OpenReadAsync($"{job}/Patient-1.ndjson", ct))
        {
            Assert.NotNull(read);
            Assert.Equal(27, read.Length);
            Assert.Equal("{\"resourceType\":\"Patient\"}\n", await new StreamReader(read.Content).ReadToEndAsync(ct));
        }

        await Store.DeletePrefixAsync(job, ct);
        Assert.Null(await Store.OpenReadAsync($"{job}/Patient-1.ndjson", ct));
        await Store.DeletePrefixAsync(job, ct); // twice: a missing prefix is not an error
    }

    [Fact]
    public async Task Uncommitted_object_is_never_visible()
    {
        var job = NewJob();
        await WriteAsync($"{job}/half.ndjson", "partial", commit: false);

        Assert.Null(await Store.OpenReadAsync($"{job}/half.ndjson", ct));
        Assert.Null(await Store.OpenReadAsync($"{job}/missing.ndjson", ct));
    }

    [Fact]
    public async Task Committing_again_replaces_the_object()
    {
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "first version\n", commit: true);
        await WriteAsync($"{job}/a.ndjson", "second\n", commit: true);

        Assert.Equal("second\n", await ReadAsync($"{job}/a.ndjson"));
    }

    [Fact]
    public async Task A_large_object_streams_through_in_many_writes_and_reads_back_byte_for_byte()
    {
        // Larger than any provider's block or part size, written in odd-sized pieces with flushes in between.
        var job = NewJob();
        var data = RandomNumberGenerator.GetBytes(13 * 1024 * 1024 + 17);
        await using (var writer = await Store.CreateAsync($"{job}/big.ndjson", ct))
        {
            for (var offset = 0; offset < data.Length; offset += 700_001)
            {
                await writer.Content.WriteAsync(data.AsMemory(offset, Math.Min(700_001, data.Length - offset)), ct);
                if (offset % 3 == 0)
                {
                    await writer.Content.FlushAsync(ct);
                }
            }
            Assert.Equal(data.Length, writer.Length);
            await writer.CommitAsync(ct);
        }

        await using var read = await Store.OpenReadAsync($"{job}/big.ndjson", ct);
        Assert.NotNull(read);
        Assert.Equal(data.Length, read.Length);
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy, ct);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(copy.ToArray()));
    }

    [Fact]
    public async Task The_read_stream_seeks_so_a_range_can_be_served()
    {
        var job = NewJob();
        await WriteAsync($"{job}/r.ndjson", "0123456789abcdefghij", commit: true);

        await using var read = await Store.OpenReadAsync($"{job}/r.ndjson", ct);
        Assert.NotNull(read);
        Assert.True(read.Content.CanSeek);
        read.Content.Seek(10, SeekOrigin.Begin);
        var buffer = new byte[5];
        await read.Content.ReadExactlyAsync(buffer, ct);
        Assert.Equal("abcde", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_suspended_object_resumes_at_the_checkpointed_length_dropping_what_came_after()
    {
        var job = NewJob();
        var key = $"{job}/Observation-1.ndjson";
        long checkpoint;
        await using (var writer = await Store.CreateAsync(key, ct))
        {
            await writer.Content.WriteAsync("line 1\nline 2\n"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            checkpoint = writer.Length;
            await writer.Content.WriteAsync("line 3 written after the checkpoint\n"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            await writer.SuspendAsync(ct);
        }
        Assert.Null(await Store.OpenReadAsync(key, ct));

        await using (var resumed = await Store.ResumeAsync(key, checkpoint, ct))
        {
            Assert.NotNull(resumed);
            Assert.Equal(checkpoint, resumed.Length);
            await resumed.Content.WriteAsync("line 3\n"u8.ToArray(), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal("line 1\nline 2\nline 3\n", await ReadAsync(key));
    }

    [Fact]
    public async Task A_writer_abandoned_without_suspend_still_resumes_from_what_it_flushed()
    {
        // A kill -9 neither suspends nor disposes: only what each flush made durable is there for the next run.
        Assert.SkipWhen(AbandonedWriterKeepsALock, "The writer's open file handle lives as long as this process; ExportResumeTests kill a real one.");
        var job = NewJob();
        var key = $"{job}/Patient-1.ndjson";
        var writer = await Store.CreateAsync(key, ct);
        await writer.Content.WriteAsync("a\nb\n"u8.ToArray(), ct);
        await writer.Content.FlushAsync(ct);
        var checkpoint = writer.Length;
        await writer.Content.WriteAsync("c\n"u8.ToArray(), ct);
        await writer.Content.FlushAsync(ct);
        // Never disposed, like a killed process.

        await using (var resumed = await Store.ResumeAsync(key, checkpoint, ct))
        {
            Assert.NotNull(resumed);
            await resumed.Content.WriteAsync("C\n"u8.ToArray(), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal("a\nb\nC\n", await ReadAsync(key));
    }

    [Fact]
    public async Task An_object_committed_after_its_checkpoint_is_taken_back_and_appended_to()
    {
        // The run committed the file but died before its checkpoint said so: the next run reopens it.
        var job = NewJob();
        var key = $"{job}/Condition-1.ndjson";
        long checkpoint;
        await using (var writer = await Store.CreateAsync(key, ct))
        {
            await writer.Content.WriteAsync("x\n"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            checkpoint = writer.Length;
            await writer.Content.WriteAsync("y\n"u8.ToArray(), ct);
            await writer.CommitAsync(ct);
        }

        await using (var resumed = await Store.ResumeAsync(key, checkpoint, ct))
        {
            Assert.NotNull(resumed);
            await resumed.Content.WriteAsync("z\n"u8.ToArray(), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal("x\nz\n", await ReadAsync(key));
    }

    [Fact]
    public async Task Resuming_a_missing_object_or_past_its_end_gives_null()
    {
        var job = NewJob();
        Assert.Null(await Store.ResumeAsync($"{job}/never-written.ndjson", 10, ct));

        await using (var writer = await Store.CreateAsync($"{job}/short.ndjson", ct))
        {
            await writer.Content.WriteAsync("abc"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            await writer.SuspendAsync(ct);
        }
        Assert.Null(await Store.ResumeAsync($"{job}/short.ndjson", 1000, ct));
    }

    [Fact]
    public async Task Prefix_delete_also_removes_unfinished_objects_and_listing_shows_job_prefixes()
    {
        var job = NewJob();
        await WriteAsync($"{job}/done.ndjson", "done\n", commit: true);
        await using (var writer = await Store.CreateAsync($"{job}/open.ndjson", ct))
        {
            await writer.Content.WriteAsync("open\n"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            await writer.SuspendAsync(ct);
        }

        Assert.Contains(job, await ListAsync());

        await Store.DeletePrefixAsync(job, ct);
        Assert.DoesNotContain(job, await ListAsync());
        Assert.Null(await Store.ResumeAsync($"{job}/open.ndjson", 5, ct));
    }

    [Fact]
    public async Task Deleting_one_prefix_from_several_places_at_once_succeeds_everywhere()
    {
        // A DELETE, the clean-up round and another node's round may remove the same job at the same moment.
        var job = NewJob();
        for (var i = 0; i < 20; i++)
        {
            await WriteAsync($"{job}/Patient-{i}.ndjson", "x\n", commit: true);
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Store.DeletePrefixAsync(job, ct), ct)));

        Assert.Null(await Store.OpenReadAsync($"{job}/Patient-0.ndjson", ct));
    }

    [Fact]
    public async Task Readiness_check_passes_against_a_working_store()
    {
        await Store.CheckAsync(ct);
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
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(key, ct));
    }

    protected async Task WriteAsync(string key, string text, bool commit)
    {
        await using var writer = await Store.CreateAsync(key, ct);
        await writer.Content.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        if (commit)
        {
            await writer.CommitAsync(ct);
        }
    }

    protected async Task<string> ReadAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key, ct);
        Assert.NotNull(read);
        return await new StreamReader(read.Content).ReadToEndAsync(ct);
    }

    private async Task<List<string>> ListAsync()
    {
        var prefixes = new List<string>();
        await foreach (var prefix in Store.ListPrefixesAsync(ct))
        {
            prefixes.Add(prefix);
        }
        return prefixes;
    }
}
