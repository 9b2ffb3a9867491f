using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Jobs;

/// <summary>A job goes through Hangfire and its record tells the truth, on both stores.</summary>
public abstract class JobExecutionContract(FacadeFixture fixture)
{
    private readonly JobQueue queue = fixture.App.GetRequiredService<JobQueue>();
    private readonly IJobStore store = fixture.App.GetRequiredService<IJobStore>();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueued_job_runs_and_its_record_reads_back_completed_with_result_and_expiry()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Echo, "client-a", Request("Patient/1"), ct);
        Assert.Equal(JobState.Queued, job.State);

        var done = await WaitForTerminalAsync(job.Id);

        Assert.Equal(JobState.Completed, done.State);
        Assert.Contains("Patient/1", done.Result);
        Assert.Equal("client-a", done.Owner);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
        Assert.True(done.ExpiresAt > done.CompletedAt);
    }

    [Fact]
    public async Task Handler_failure_is_recorded_as_failed_with_its_OperationOutcome()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Fail, "client-a", Request("Patient"), ct);

        var done = await WaitForTerminalAsync(job.Id);

        Assert.Equal(JobState.Failed, done.State);
        Assert.Contains("\"transient\"", done.Outcome);
        Assert.Contains("upstream busy", done.Outcome);
    }

    [Fact]
    public async Task Job_of_an_unknown_kind_fails_with_not_supported()
    {
        var job = await queue.EnqueueAsync("no-such-kind", "client-a", Request("Patient"), ct);

        var done = await WaitForTerminalAsync(job.Id);

        Assert.Equal(JobState.Failed, done.State);
        Assert.Contains("not-supported", done.Outcome);
    }

    [Fact]
    public async Task Cancelled_job_stops_running_within_a_second_and_stays_cancelled()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Block, "client-a", Request("Patient"), ct);
        await Eventually.WaitForAsync(() => store.GetAsync(job.Id, ct), j => j?.Progress == "blocking", what: "the job to start");

        // What DELETE does: mark the record; the run hears of it through the job signals and stops.
        var cancelledAt = DateTime.UtcNow;
        Assert.NotNull(await store.TryTransitionAsync(job.Id, JobStates.Active, new(JobState.Cancelled), ct));

        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.HasStopped(job.Id)), stopped => stopped, TimeSpan.FromSeconds(5), "the run to stop");
        Assert.True(DateTime.UtcNow - cancelledAt < TimeSpan.FromSeconds(1.5), "the cancel took effect too slowly");
        Assert.Equal(JobState.Cancelled, (await store.GetAsync(job.Id, ct))!.State);
    }

    [Fact]
    public async Task Delivering_a_job_twice_runs_it_once()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Echo, "client-a", Request("Patient/twice"), ct);
        queue.Resubmit(job);
        queue.Resubmit(job);

        await WaitForTerminalAsync(job.Id);
        await Task.Delay(500, ct); // give the extra deliveries time to be (not) run

        Assert.Equal(1, TestJobHandlers.Runs(job.Id));
    }

    private Task<JobRecord> WaitForTerminalAsync(string id) =>
        Eventually.WaitForAsync(async () => (await store.GetAsync(id, ct))!, j => j.State.IsTerminal(), what: $"job {id} to finish");

    private static JobRequest Request(string url) => new("GET", url, JobRequest.NoHeaders);
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryJobExecutionTests(InMemoryFacade fixture) : JobExecutionContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobExecutionTests(PostgresFacade fixture) : JobExecutionContract(fixture);
