using System.Diagnostics;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Telemetry;
using Hangfire;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The one Hangfire entry point. Its argument is the job id only: everything else is reloaded from the record,
/// which stays the source of truth. Hangfire may deliver a job more than once and an orphaned job is resubmitted,
/// so a run first claims the job under a lease; a second delivery finds it held (or finished) and does nothing.
/// </summary>
public sealed class JobRunner(IJobStore store, JobQueue queue, JobSignals signals, JobShutdown shutdown, IServiceProvider services, TimeProvider time,
    IOptions<AsyncOptions> asyncOptions, IOptions<JobsOptions> jobsOptions, IEnumerable<IJobFinishedListener> listeners, FacadeMetrics metrics,
    ILogger<JobRunner> logger)
{
    // Handler failures are recorded on the job, not retried. Only infrastructure errors (the store itself
    // unreachable) escape; Hangfire retries those a few times with its growing delay.
    // The label is only the dashboard's name for the job ({0}: `$export system 1f3c…`, see JobLabel).
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("{0}")]
    public Task RunAsync(string label, string jobId, CancellationToken cancellationToken) => RunJobAsync(jobId, label, cancellationToken);

    /// <summary>
    /// The entry point before jobs had display names: a Hangfire queue in PostgreSQL outlives an upgrade, and the jobs
    /// already in it are still delivered to this signature. Every new enqueue uses the labelled one.
    /// </summary>
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(string jobId, CancellationToken cancellationToken) => RunJobAsync(jobId, null, cancellationToken);

    private async Task RunJobAsync(string jobId, string? label, CancellationToken cancellationToken)
    {
        if (shutdown.IsStopping)
        {
            // Fetched just as this process began to stop: leave it to another node, or to this one after its restart.
            if (label is not null)
            {
                queue.Resubmit(jobId, label);
            }
            else
            {
                await queue.ResubmitAsync(jobId, CancellationToken.None);
            }
            JobsLog.NotStarted(logger, jobId);
            return;
        }
        var lease = Guid.NewGuid().ToString("N");
        var claimedAt = time.GetUtcNow();
        var job = await store.TryClaimAsync(jobId, lease, claimedAt - jobsOptions.Value.OrphanAfter, cancellationToken);
        if (job is null)
        {
            JobsLog.Skipped(logger, jobId, "held by another run, finished or missing");
            return;
        }

        // Every line logged while the job runs (its handler, the upstream client, HttpClient) carries the job's id.
        using var scope = logger.BeginScope(new JobLogScope(job));
        // The claim keeps the first run's StartedAt: an earlier one means this run resumes an interrupted one (or continues a waiting one).
        var resumed = job.StartedAt < claimedAt;
        using var activity = FacadeTelemetry.StartJobRun(job, resumed);
        if (!resumed)
        {
            metrics.JobStarted(job.Kind);
        }
        JobsLog.Started(logger, jobId);
        using var run = new CancellationTokenSource();
        using var tracked = shutdown.Track(jobId, run, cancellationToken);
        var keepAlive = KeepAliveAsync(jobId, lease, run);

        JobChange outcome;
        try
        {
            outcome = await ExecuteAsync(new JobContext(job, lease, resumed, store, shutdown.Stopping), run.Token);
        }
        catch (JobWaitingException waiting)
        {
            await run.CancelAsync();
            await keepAlive;
            await ParkAsync(job, lease, waiting);
            activity?.SetTag("asyncfacade.job.state", "waiting");
            return;
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested || shutdown.IsStopping)
        {
            if (shutdown.IsStopping)
            {
                await HandOverAsync(job, lease);
                activity?.SetTag("asyncfacade.job.state", "interrupted");
            }
            return; // otherwise cancelled or taken over: whoever did that owns the record now
        }
        finally
        {
            await run.CancelAsync();
            await keepAlive;
        }
        var finished = await FinishAsync(job, lease, outcome);
        activity?.SetTag("asyncfacade.job.state", finished.ToWire());
        if (finished == JobState.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
    }

    private async Task<JobChange> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var handler = services.GetKeyedService<IJobHandler>(job.Kind);
        if (handler is null)
        {
            return Failure(Outcomes.Create(OperationOutcome.IssueType.NotSupported, $"No handler for job kind '{job.Kind}'."));
        }
        if (Simulation.SimulatedJob.Enter(job) is { } simulatedFailure)
        {
            return Failure(simulatedFailure);
        }
        try
        {
            var result = await handler.RunAsync(context, cancellationToken);
            return new JobChange(JobState.Completed) { Result = result, Progress = "completed" };
        }
        catch (JobWaitingException)
        {
            throw;
        }
        catch (JobFailedException ex)
        {
            return Failure(ex.Outcome);
        }
        catch (Upstream.Credentials.UpstreamAuthException ex)
        {
            // The upstream refuses the facade's own credentials: permanent until the configuration changes, never `transient`.
            return Failure(Outcomes.Create(ex.Code, ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !(cancellationToken.IsCancellationRequested || context.StopRequested))
        {
            JobsLog.Failed(logger, job.Id, ex);
            return Failure(Outcomes.Create(OperationOutcome.IssueType.Exception, $"The job failed unexpectedly; see the server log for job {job.Id}."));
        }
    }

    /// <summary>
    /// Heartbeats while the job runs, and re-checks the lease whenever the job changes anywhere (a DELETE on any node):
    /// a lost lease cancels this run within one signal, not one heartbeat.
    /// </summary>
    private async Task KeepAliveAsync(string jobId, string lease, CancellationTokenSource run)
    {
        var interval = jobsOptions.Value.Heartbeat;
        using var changes = signals.Start(jobId);
        while (!run.IsCancellationRequested)
        {
            await Task.WhenAny(changes.NextChange(), Task.Delay(interval, run.Token));
            if (run.IsCancellationRequested)
            {
                return;
            }
            try
            {
                if (!await store.HeartbeatAsync(jobId, lease, progress: null, CancellationToken.None))
                {
                    JobsLog.LeaseLost(logger, jobId);
                    await run.CancelAsync();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is briefly unreachable: keep working; a long outage makes the job look orphaned, and
                // the lease check on finishing stops a duplicate from overwriting the winner.
                JobsLog.HeartbeatFailed(logger, jobId, ex);
            }
        }
    }

    /// <summary>
    /// Shutdown mid-run: the job stays running (never failed or cancelled by a shutdown) but lets go of its lease, and is
    /// queued again, so any node (or this one after its restart) claims it at once and resumes from its last checkpoint.
    /// Should that delivery be lost, the maintenance round finds the job running without a lease and queues it again.
    /// </summary>
    private async Task HandOverAsync(JobRecord job, string lease)
    {
        var jobId = job.Id;
        var handedOver = await store.TryTransitionAsync(jobId, [JobState.Running],
            new JobChange(JobState.Running) { RequiredLease = lease, ReleaseLease = true, Progress = "interrupted by a server shutdown; resuming" },
            CancellationToken.None);
        if (handedOver is not null)
        {
            queue.Resubmit(job);
            JobsLog.Interrupted(logger, jobId, handedOver.Checkpoint is not null);
        }
    }

    /// <summary>
    /// The job waits for its units: it stays running without a lease, so the next delivery (a finishing unit's, or the
    /// maintenance round's once its heartbeat is old) claims it at once.
    /// </summary>
    private async Task ParkAsync(JobRecord job, string lease, JobWaitingException waiting)
    {
        var jobId = job.Id;
        var parked = await store.TryTransitionAsync(jobId, [JobState.Running],
            new JobChange(JobState.Running) { RequiredLease = lease, ReleaseLease = true, Progress = waiting.Progress }, CancellationToken.None);
        // A unit that finished while this run held the lease could not wake the job: look once more now that it is free.
        if (parked is not null && await waiting.WakeNowAsync(CancellationToken.None))
        {
            queue.Resubmit(job);
        }
        JobsLog.Waiting(logger, jobId);
    }

    /// <returns>The state the job ended in (cancelled when someone else ended it first).</returns>
    private async Task<JobState> FinishAsync(JobRecord job, string lease, JobChange change)
    {
        var now = time.GetUtcNow();
        // A unit's record lives as long as its parent's (which needs its result); only a job the client sees expires.
        var expires = job.ParentId is null ? now + asyncOptions.Value.ResultTtl : (DateTimeOffset?)null;
        var finished = await store.TryTransitionAsync(job.Id, [JobState.Running],
            change with { CompletedAt = now, ExpiresAt = expires, RequiredLease = lease }, CancellationToken.None);
        var state = finished?.State ?? JobState.Cancelled;
        JobsLog.Finished(logger, job.Id, state.ToWire());
        if (finished is not null)
        {
            foreach (var listener in listeners)
            {
                listener.OnFinished(finished);
            }
        }
        return state;
    }

    private static JobChange Failure(OperationOutcome outcome) =>
        new(JobState.Failed) { Outcome = FhirJson.Serialize(outcome), Progress = "failed" };
}
