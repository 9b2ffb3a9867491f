using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>The jobs view's listing (<see cref="IJobStore.ListAsync"/>) on the in-memory and the PostgreSQL store.</summary>
public abstract class JobListContract(FacadeFixture fixture)
{
    private readonly IJobStore store = fixture.App.GetRequiredService<IJobStore>();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Top_level_jobs_come_newest_first_in_keyset_pages_without_units()
    {
        var owner = NewOwner();
        // Whole milliseconds: PostgreSQL keeps microseconds, so both stores hold the same instants. Two jobs share one.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var jobs = new List<JobRecord>();
        foreach (var offset in new[] { 0, 1, 1, 2, 3 })
        {
            var job = NewJob(owner, start.AddSeconds(offset));
            await store.CreateAsync(job, ct);
            jobs.Add(job);
        }
        await store.CreateAsync(NewJob(owner, start.AddSeconds(9)) with { Id = jobs[0].Id + "-0", ParentId = jobs[0].Id }, ct);
        var expected = jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal).Select(j => j.Id).ToList();

        var seen = new List<string>();
        var pages = 0;
        JobCursor? before = null;
        do
        {
            var page = await store.ListAsync(new JobQuery { Owner = owner, Limit = 2, Before = before }, ct);
            Assert.True(page.Jobs.Count <= 2);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            before = page.Next;
            pages++;
        }
        while (before is not null && pages < 10);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Filters_by_state_owner_and_kind()
    {
        var owner = NewOwner();
        var queued = NewJob(owner, DateTimeOffset.UtcNow);
        var running = NewJob(owner, DateTimeOffset.UtcNow) with { Kind = TestJobHandlers.Block };
        var someoneElses = NewJob(NewOwner(), DateTimeOffset.UtcNow);
        foreach (var job in new[] { queued, running, someoneElses })
        {
            await store.CreateAsync(job, ct);
        }
        await store.TryTransitionAsync(running.Id, [JobState.Queued], new JobChange(JobState.Running), ct);

        Assert.Equal(new HashSet<string> { running.Id, queued.Id }, Ids(await store.ListAsync(new JobQuery { Owner = owner }, ct)).ToHashSet());
        Assert.Equal([running.Id], Ids(await store.ListAsync(new JobQuery { Owner = owner, State = JobState.Running }, ct)));
        Assert.Equal([queued.Id], Ids(await store.ListAsync(new JobQuery { Owner = owner, Kind = TestJobHandlers.Echo }, ct)));
        Assert.Empty(Ids(await store.ListAsync(new JobQuery { Owner = owner, State = JobState.Failed }, ct)));
        Assert.Single(await ListAllAsync(new JobQuery { Owner = owner, Limit = 0 }));
    }

    private async Task<IReadOnlyList<JobRecord>> ListAllAsync(JobQuery query) => (await store.ListAsync(query, ct)).Jobs;

    private static List<string> Ids(JobPage page) => page.Jobs.Select(j => j.Id).ToList();

    private static string NewOwner() => "lister-" + Guid.NewGuid().ToString("N")[..8];

    private static JobRecord NewJob(string owner, DateTimeOffset createdAt) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Owner = owner,
        Kind = TestJobHandlers.Echo,
        Request = new JobRequest("GET", "Patient", JobRequest.NoHeaders),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryJobListTests(InMemoryFacade fixture) : JobListContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobListTests(PostgresFacade fixture) : JobListContract(fixture);
