using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Jobs;

/// <summary>What every <see cref="IJobStore"/> must do; runs against the in-memory and the PostgreSQL store.</summary>
public abstract class JobStoreContract(FacadeFixture fixture)
{
    private readonly IJobStore store = fixture.App.GetRequiredService<IJobStore>();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Created_job_reads_back_with_every_field()
    {
        var job = NewJob() with
        {
            Progress = "queued", Result = """{"a":1}""", ExpiresAt = Now.AddHours(1), Mode = "redirect",
            BaseUrl = "https://facade.example.org/fhir", CallbackUrl = "https://client.example.org/cb",
        };
        await store.CreateAsync(job, ct);

        var read = await store.GetAsync(job.Id, ct);

        Assert.NotNull(read);
        Assert.Equal(job.Owner, read.Owner);
        Assert.Equal(job.Kind, read.Kind);
        Assert.Equal(JobState.Queued, read.State);
        Assert.Equal(job.Request.Method, read.Request.Method);
        Assert.Equal(job.Request.Url, read.Request.Url);
        Assert.Equal("application/fhir+json", read.Request.Headers["Accept"]);
        Assert.Equal("body/key", read.Request.BodyKey);
        Assert.Equal("queued", read.Progress);
        Assert.Equal("""{"a":1}""", read.Result!.Replace(" ", ""));
        Assert.Equal(job.CreatedAt.ToUnixTimeMilliseconds(), read.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(job.ExpiresAt!.Value.ToUnixTimeMilliseconds(), read.ExpiresAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal("redirect", read.Mode);
        Assert.Equal("https://facade.example.org/fhir", read.BaseUrl);
        Assert.Equal("https://client.example.org/cb", read.CallbackUrl);
    }

    [Fact]
    public async Task Creating_a_job_twice_with_the_same_id_fails()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(job, ct));
    }

    [Fact]
    public async Task Unknown_job_reads_as_null()
    {
        Assert.Null(await store.GetAsync("no-such-job", ct));
        Assert.False(await store.DeleteAsync("no-such-job", ct));
    }

    [Fact]
    public async Task Transition_applies_only_from_the_expected_state()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);

        var running = await store.TryTransitionAsync(job.Id, [JobState.Queued], new JobChange(JobState.Running) { StartedAt = Now }, ct);
        var again = await store.TryTransitionAsync(job.Id, [JobState.Queued], new JobChange(JobState.Running), ct);

        Assert.Equal(JobState.Running, running?.State);
        Assert.NotNull(running?.StartedAt);
        Assert.Null(again);
    }

    [Fact]
    public async Task Concurrent_cancel_and_complete_have_exactly_one_winner()
    {
        for (var i = 0; i < 20; i++)
        {
            var job = NewJob();
            await store.CreateAsync(job, ct);
            await store.TryClaimAsync(job.Id, "lease", Now.AddSeconds(-30), ct);

            var results = await Task.WhenAll(
                store.TryTransitionAsync(job.Id, JobStates.Active, new JobChange(JobState.Cancelled), ct),
                store.TryTransitionAsync(job.Id, [JobState.Running], new JobChange(JobState.Completed) { Result = "{}", RequiredLease = "lease" }, ct));

            Assert.Single(results, r => r is not null);
            var final = await store.GetAsync(job.Id, ct);
            Assert.Equal(results.Single(r => r is not null)!.State, final!.State);
        }
    }

    [Fact]
    public async Task Claim_takes_a_queued_job_once_and_a_stale_running_job_again()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);

        var first = await store.TryClaimAsync(job.Id, "lease-1", Now.AddSeconds(-30), ct);
        var second = await store.TryClaimAsync(job.Id, "lease-2", Now.AddSeconds(-30), ct);
        // Its heartbeat is "older" than a cut-off in the future: the first run is taken to be dead.
        var takeover = await store.TryClaimAsync(job.Id, "lease-3", Now.AddSeconds(30), ct);

        Assert.Equal(JobState.Running, first?.State);
        Assert.Equal("lease-1", first?.Lease);
        Assert.NotNull(first?.StartedAt);
        Assert.Null(second);
        Assert.Equal("lease-3", takeover?.Lease);
        Assert.Equal(first!.StartedAt, takeover!.StartedAt);
    }

    [Fact]
    public async Task Heartbeat_and_progress_need_the_current_lease()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);
        await store.TryClaimAsync(job.Id, "mine", Now.AddSeconds(-30), ct);

        Assert.True(await store.HeartbeatAsync(job.Id, "mine", "42 resources", ct));
        Assert.False(await store.HeartbeatAsync(job.Id, "someone-else", "hijack", ct));
        Assert.Equal("42 resources", (await store.GetAsync(job.Id, ct))!.Progress);

        await store.TryTransitionAsync(job.Id, JobStates.Active, new JobChange(JobState.Cancelled), ct);
        Assert.False(await store.HeartbeatAsync(job.Id, "mine", null, ct));
    }

    [Fact]
    public async Task A_run_that_lost_its_lease_cannot_finish_the_job()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);
        await store.TryClaimAsync(job.Id, "old", Now.AddSeconds(-30), ct);
        await store.TryClaimAsync(job.Id, "new", Now.AddSeconds(30), ct);

        var zombie = await store.TryTransitionAsync(job.Id, [JobState.Running], new JobChange(JobState.Completed) { RequiredLease = "old" }, ct);
        var owner = await store.TryTransitionAsync(job.Id, [JobState.Running], new JobChange(JobState.Completed) { RequiredLease = "new" }, ct);

        Assert.Null(zombie);
        Assert.Equal(JobState.Completed, owner?.State);
    }

    [Fact]
    public async Task Stale_running_jobs_are_listed_and_queue_position_counts_older_queued_jobs()
    {
        var older = NewJob() with { CreatedAt = Now.AddMinutes(-10) };
        var newer = NewJob() with { CreatedAt = Now.AddMinutes(-5) };
        await store.CreateAsync(older, ct);
        await store.CreateAsync(newer, ct);
        Assert.True(await store.CountQueuedAheadAsync(newer, ct) >= 1);

        await store.TryClaimAsync(older.Id, "l", Now.AddSeconds(-30), ct);
        Assert.Contains(older.Id, await store.ListStaleAsync(Now.AddSeconds(30), 10_000, ct));
        Assert.DoesNotContain(older.Id, await store.ListStaleAsync(Now.AddSeconds(-30), 10_000, ct));
    }

    [Fact]
    public async Task Every_state_change_is_signalled()
    {
        var signals = fixture.App.GetRequiredService<JobSignals>();
        var job = NewJob();
        await store.CreateAsync(job, ct);

        using var changes = signals.Start(job.Id);
        var change = changes.NextChange();
        await store.TryClaimAsync(job.Id, "l", Now.AddSeconds(-30), ct);

        // With PostgreSQL the signal travels through NOTIFY and the listener, so allow it a moment.
        Assert.Same(change, await Task.WhenAny(change, Task.Delay(TimeSpan.FromSeconds(5), ct)));
    }

    [Fact]
    public async Task Transition_keeps_fields_it_does_not_set()
    {
        var job = NewJob() with { Progress = "p", Result = """{"keep":true}""" };
        await store.CreateAsync(job, ct);

        var failed = await store.TryTransitionAsync(job.Id, [JobState.Queued], new JobChange(JobState.Failed) { Outcome = """{"resourceType":"OperationOutcome"}""" }, ct);

        Assert.Equal("p", failed!.Progress);
        Assert.Contains("keep", failed.Result);
        Assert.Contains("OperationOutcome", failed.Outcome);
    }

    [Fact]
    public async Task Expired_jobs_are_listed_oldest_first_and_deleted()
    {
        var owner = Guid.NewGuid().ToString("N");
        var older = NewJob(owner) with { ExpiresAt = Now.AddDays(-3) };
        var newer = NewJob(owner) with { ExpiresAt = Now.AddDays(-2) };
        var future = NewJob(owner) with { ExpiresAt = Now.AddDays(1) };
        foreach (var job in new[] { newer, future, older })
        {
            await store.CreateAsync(job, ct);
        }

        var expired = (await store.ListExpiredAsync(Now, 1000, ct)).ToList();

        Assert.InRange(expired.IndexOf(older.Id), 0, expired.IndexOf(newer.Id) - 1);
        Assert.DoesNotContain(future.Id, expired);
        Assert.True(await store.DeleteAsync(older.Id, ct));
        Assert.Null(await store.GetAsync(older.Id, ct));
    }

    [Fact]
    public async Task Units_are_listed_under_their_parent_and_deleted_with_it()
    {
        var parent = NewJob();
        await store.CreateAsync(parent, ct);
        var probe = NewJob() with { CreatedAt = Now.AddMinutes(1) };
        var aheadBefore = await store.CountQueuedAheadAsync(probe, ct);
        var first = NewJob(parent.Owner) with { Id = parent.Id + "-0", ParentId = parent.Id, Checkpoint = """{"n":0}""" };
        var second = NewJob(parent.Owner) with { Id = parent.Id + "-1", ParentId = parent.Id, CreatedAt = Now.AddMinutes(-10) };
        await store.CreateAsync(second, ct);
        await store.CreateAsync(first, ct);

        var units = await store.ListChildrenAsync(parent.Id, ct);
        Assert.Equal([first.Id, second.Id], units.Select(u => u.Id));
        Assert.All(units, u => Assert.Equal(parent.Id, u.ParentId));
        Assert.Equal("""{"n":0}""", units[0].Checkpoint!.Replace(" ", ""));
        // Units are not in the client-visible queue: queued units are not "ahead" of anyone.
        Assert.Equal(aheadBefore, await store.CountQueuedAheadAsync(probe, ct));

        Assert.True(await store.DeleteAsync(parent.Id, ct));
        Assert.Null(await store.GetAsync(first.Id, ct));
        Assert.Null(await store.GetAsync(second.Id, ct));
        Assert.Empty(await store.ListChildrenAsync(parent.Id, ct));
    }

    [Fact]
    public async Task Finding_existing_ids_returns_the_jobs_and_units_among_them_and_nothing_else()
    {
        var parent = NewJob();
        var unit = NewJob(parent.Owner) with { Id = parent.Id + "-0", ParentId = parent.Id };
        var other = NewJob();
        foreach (var job in new[] { parent, unit, other })
        {
            await store.CreateAsync(job, ct);
        }
        var unknown = Guid.NewGuid().ToString("N");

        var found = await store.FindExistingAsync([parent.Id, unknown, unit.Id, other.Id, "no-such-job"], ct);

        Assert.Equal(new[] { other.Id, parent.Id, unit.Id }.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        Assert.Empty(await store.FindExistingAsync([], ct));
        Assert.True(await store.DeleteAsync(parent.Id, ct));
        Assert.Equal([other.Id], await store.FindExistingAsync([parent.Id, unit.Id, other.Id], ct));
    }

    [Fact]
    public async Task A_waiting_job_stays_running_without_a_lease_and_is_claimed_again_at_once()
    {
        var job = NewJob();
        await store.CreateAsync(job, ct);
        await store.TryClaimAsync(job.Id, "planner", Now.AddSeconds(-30), ct);

        var parked = await store.TryTransitionAsync(job.Id, [JobState.Running],
            new JobChange(JobState.Running) { RequiredLease = "planner", ReleaseLease = true, Progress = "waiting" }, ct);

        Assert.Equal(JobState.Running, parked?.State);
        Assert.Null(parked?.Lease);
        Assert.Equal("waiting", parked?.Progress);
        Assert.False(await store.HeartbeatAsync(job.Id, "planner", null, ct));
        Assert.DoesNotContain(job.Id, await store.ListStaleAsync(Now.AddSeconds(30), 10_000, ct));
        Assert.Contains(job.Id, await store.ListWaitingAsync(Now.AddSeconds(30), 10_000, ct));
        Assert.DoesNotContain(job.Id, await store.ListWaitingAsync(Now.AddSeconds(-30), 10_000, ct));

        // Its heartbeat is fresh, yet a waiting job is claimed at once, and only once.
        var woken = await store.TryClaimAsync(job.Id, "wake-1", Now.AddSeconds(-30), ct);
        var twice = await store.TryClaimAsync(job.Id, "wake-2", Now.AddSeconds(-30), ct);
        Assert.Equal("wake-1", woken?.Lease);
        Assert.Null(twice);
    }

    [Fact]
    public async Task Limited_create_admits_no_more_than_the_limit_of_an_owners_active_jobs_even_when_concurrent()
    {
        var owner = "client-" + Guid.NewGuid().ToString("N")[..8];
        var parent = NewJob(owner);
        Assert.True(await store.TryCreateAsync(parent, 3, ct));
        // Units do not count, and neither do other owners' jobs.
        await store.CreateAsync(NewJob(owner) with { Id = parent.Id + "-0", ParentId = parent.Id }, ct);
        Assert.True(await store.TryCreateAsync(NewJob(), 1, ct));

        var burst = Enumerable.Range(0, 10).Select(_ => NewJob(owner)).ToList();
        var admitted = await Task.WhenAll(burst.Select(job => store.TryCreateAsync(job, 3, ct)));

        Assert.Equal(2, admitted.Count(a => a));
        for (var i = 0; i < burst.Count; i++)
        {
            Assert.Equal(admitted[i], await store.GetAsync(burst[i].Id, ct) is not null);
        }
        // A finished job frees its slot; 0 means no limit.
        await store.TryTransitionAsync(parent.Id, [JobState.Queued], new JobChange(JobState.Completed), ct);
        Assert.True(await store.TryCreateAsync(NewJob(owner), 3, ct));
        Assert.False(await store.TryCreateAsync(NewJob(owner), 3, ct));
        Assert.True(await store.TryCreateAsync(NewJob(owner), 0, ct));
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private static JobRecord NewJob(string? owner = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Owner = owner ?? "client-" + Guid.NewGuid().ToString("N")[..8],
        Kind = TestJobHandlers.Echo,
        Request = new JobRequest("GET", "Patient?_count=1", new Dictionary<string, string> { ["Accept"] = "application/fhir+json" }, "body/key"),
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryJobStoreTests(InMemoryFacade fixture) : JobStoreContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests(PostgresFacade fixture) : JobStoreContract(fixture);
