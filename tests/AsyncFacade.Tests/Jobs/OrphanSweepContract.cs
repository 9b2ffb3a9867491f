using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFacade.Tests.Jobs;

/// <summary>
/// The orphan sweep on the local store against each job store's records (in memory, PostgreSQL): a prefix is removed only
/// when two sweeps a grace apart found no job for it. The clock is fake, so the grace is the production default.
/// </summary>
public abstract class OrphanSweepContract : IDisposable
{
    private static readonly TimeSpan Grace = new JobsOptions().OrphanGrace;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly IJobStore jobs;
    private readonly string root = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", "sweep-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly LocalOutputStore output;
    private readonly OrphanSweep sweep;

    protected OrphanSweepContract(FacadeFixture fixture)
    {
        jobs = fixture.App.GetRequiredService<IJobStore>();
        output = new LocalOutputStore(Options.Create(new StorageOptions { LocalPath = root }));
        sweep = new OrphanSweep(jobs, output, time, Options.Create(new JobsOptions()), NullLogger<OrphanSweep>.Instance);
    }

    [Fact]
    public async Task An_orphan_prefix_is_removed_once_two_sweeps_a_grace_apart_found_no_job()
    {
        var orphan = await WriteAsync(NewId());

        Assert.Equal(0, await sweep.SweepAsync(ct));
        time.Advance(Grace / 2);
        Assert.Equal(0, await sweep.SweepAsync(ct));
        Assert.True(Exists(orphan));
        time.Advance(Grace / 2);
        Assert.Equal(1, await sweep.SweepAsync(ct));

        Assert.False(Exists(orphan));
        Assert.DoesNotContain(orphan, await ListAsync());
    }

    [Fact]
    public async Task A_fresh_orphan_and_a_live_jobs_prefix_are_kept()
    {
        var old = await WriteAsync(NewId());
        var live = await CreateJobAsync();
        await sweep.SweepAsync(ct);
        time.Advance(Grace);
        var fresh = await WriteAsync(NewId());

        await sweep.SweepAsync(ct);

        Assert.False(Exists(old));
        Assert.True(Exists(fresh));
        Assert.True(Exists(live));
        time.Advance(Grace);
        await sweep.SweepAsync(ct);
        Assert.False(Exists(fresh));
        Assert.True(Exists(live));
    }

    [Fact]
    public async Task A_prefix_that_is_not_a_job_id_is_never_removed()
    {
        // Another application's folder in a shared container or directory.
        var foreign = await WriteAsync("backups");
        var upper = await WriteAsync(NewId().ToUpperInvariant() + "-0");

        await sweep.SweepAsync(ct);
        time.Advance(Grace * 2);
        Assert.Equal(0, await sweep.SweepAsync(ct));

        Assert.True(Exists(foreign));
        Assert.True(Exists(upper));
    }

    [Fact]
    public async Task A_kick_off_whose_record_appears_after_its_body_keeps_its_files_and_its_grace_starts_again_later()
    {
        // A kick-off stores the request body first, then creates the record: the first sweep may land in between.
        var id = await WriteAsync(NewId());
        await sweep.SweepAsync(ct);
        await jobs.CreateAsync(NewJob(id), ct);
        time.Advance(Grace);

        Assert.Equal(0, await sweep.SweepAsync(ct));
        Assert.True(Exists(id));

        // The record goes without its files (a crash mid-delete): the grace counts from the first sweep that sees it so.
        await jobs.DeleteAsync(id, ct);
        time.Advance(Grace);
        Assert.Equal(0, await sweep.SweepAsync(ct));
        time.Advance(Grace);
        Assert.Equal(1, await sweep.SweepAsync(ct));
        Assert.False(Exists(id));
    }

    [Fact]
    public async Task Sweeps_run_at_most_every_half_grace_and_more_than_a_batch_of_prefixes_are_checked()
    {
        var orphans = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            orphans.Add(await WriteAsync(NewId()));
        }
        var live = await CreateJobAsync();

        await sweep.RunIfDueAsync(ct);
        time.Advance(Grace / 4);
        await sweep.RunIfDueAsync(ct); // not due: no sighting here, so the next one is the second
        time.Advance(Grace * 3 / 4);
        await sweep.RunIfDueAsync(ct);

        Assert.All(orphans, o => Assert.False(Exists(o)));
        Assert.True(Exists(live));
        Assert.Equal([live], await ListAsync());
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<string> WriteAsync(string id)
    {
        await using var writer = await output.CreateAsync(id + "/request", ct);
        await writer.Content.WriteAsync("{}"u8.ToArray(), ct);
        await writer.CommitAsync(ct);
        return id;
    }

    private async Task<string> CreateJobAsync()
    {
        var id = await WriteAsync(NewId());
        await jobs.CreateAsync(NewJob(id), ct);
        return id;
    }

    private bool Exists(string id) => Directory.Exists(Path.Combine(root, id));

    private async Task<List<string>> ListAsync()
    {
        var prefixes = new List<string>();
        await foreach (var prefix in output.ListPrefixesAsync(ct))
        {
            prefixes.Add(prefix);
        }
        return prefixes;
    }

    private static JobRecord NewJob(string id) => new()
    {
        Id = id,
        Owner = "client-" + id[..8],
        Kind = TestJobHandlers.Echo,
        Request = new JobRequest("GET", "Patient?_count=1", new Dictionary<string, string>()),
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryOrphanSweepTests(InMemoryFacade fixture) : OrphanSweepContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOrphanSweepTests(PostgresFacade fixture) : OrphanSweepContract(fixture);
