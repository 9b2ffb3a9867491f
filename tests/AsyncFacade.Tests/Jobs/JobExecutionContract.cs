using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;
using Hangfire;

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
    public async Task Cancelled_job_stops_running_and_stays_cancelled()
    {
        var job = await queue.EnqueueAsync(TestJobHandlers.Block, "client-a", Request("Patient"), ct);
        await Eventually.WaitForAsync(() => store.GetAsync(job.Id, ct), j => j?.Progress == "blocking", what: "the job to start");

        // What DELETE will do: mark the record, then remove the Hangfire job, which fires the job's token.
        Assert.NotNull(await store.TryTransitionAsync(job.Id, JobStates.Active, new(JobState.Cancelled), ct));
        var monitoring = fixture.App.GetRequiredService<JobStorage>().GetMonitoringApi();
        var hangfireId = monitoring.ProcessingJobs(0, 100).Single(p => p.Value.Job.Args[0] as string == job.Id).Key;
        fixture.App.GetRequiredService<IBackgroundJobClient>().Delete(hangfireId);

        await Eventually.WaitForAsync(() => Task.FromResult(monitoring.ProcessingJobs(0, 100).Any(p => p.Key == hangfireId)), processing => !processing,
            what: "the worker to let go of the cancelled job");
        Assert.Equal(JobState.Cancelled, (await store.GetAsync(job.Id, ct))!.State);
    }

    private Task<JobRecord> WaitForTerminalAsync(string id) =>
        Eventually.WaitForAsync(async () => (await store.GetAsync(id, ct))!, j => j.State.IsTerminal(), what: $"job {id} to finish");

    private static JobRequest Request(string url) => new("GET", url, JobRequest.NoHeaders);
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryJobExecutionTests(InMemoryFacade fixture) : JobExecutionContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobExecutionTests(PostgresFacade fixture) : JobExecutionContract(fixture);
