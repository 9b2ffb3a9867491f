using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Simulation;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Status, cancel and result for one job, read from the job record (never from Hangfire). A job another
/// client owns is "not found", so its existence is not revealed.
/// </summary>
internal sealed class AsyncStatus(IJobStore store, JobSignals signals, IOutputStore output, RetryAfterPolicy retryAfter, PollThrottle throttle,
    SimulatedPolls simulatedPolls, IServiceProvider services, TimeProvider time, IOptions<AsyncOptions> options, IEnumerable<IJobFinishedListener> listeners, ILogger<AsyncStatus> logger)
{
    public async Task<IResult> PollAsync(string id, HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        if (PreferHeader.FromRequest(httpContext.Request, out var badRequest) is not { } prefer)
        {
            return badRequest!;
        }

        var job = await FindAsync(id, httpContext, cancellationToken);
        if (job is null)
        {
            return AsyncResults.NotFound(id);
        }
        if (job.State.IsTerminal())
        {
            return Finished(job);
        }

        var poller = JobOwner.PollerOf(httpContext);
        var simulated = SimulatedBehaviour.Of(job);
        if (simulated?.Poll429 == true && simulatedPolls.IsThrottled(job.Id))
        {
            return AsyncResults.Throttled(1);
        }
        // A simulated duration is not long-polled: the record is already done, the answer must not say so yet.
        if (prefer.Wait is > 0 and var wait && simulated is null)
        {
            // A long poll is the server pacing the client: never throttled.
            job = await WaitUntilFinishedAsync(job, Math.Min(wait, options.Value.MaxWaitSeconds), cancellationToken);
            if (job is null)
            {
                return AsyncResults.NotFound(id);
            }
            if (job.State.IsTerminal())
            {
                return Finished(job);
            }
        }
        else if (throttle.Check(job.Id, poller) is { } mustWait)
        {
            AsyncLog.Throttled(logger, job.Id, poller);
            return AsyncResults.Throttled(mustWait);
        }

        var progress = await ProgressAsync(job, cancellationToken);
        var seconds = retryAfter.SecondsFor(job with { Progress = progress });
        throttle.Answered(job.Id, poller, seconds);
        var partial = services.GetKeyedService<IJobPartialResult>(job.Kind) is { } source ? await source.PartialAsync(job, cancellationToken) : null;
        return simulated is null
            ? AsyncResults.InProgress(seconds, progress, partial)
            : SimulatedStatus.InProgress(simulated, seconds, progress, partial, time.GetUtcNow());
    }

    public async Task<IResult> CancelAsync(string id, HttpContext httpContext)
    {
        var job = await FindAsync(id, httpContext, httpContext.RequestAborted);
        return job is null ? AsyncResults.NotFound(id) : await CancelAsync(job, httpContext.RequestAborted);
    }

    /// <summary>
    /// What `DELETE` on the status URL does once the caller may see <paramref name="job"/>: cancels it while it runs,
    /// else deletes it and its files. The console's Cancel button comes here too, so the two cannot drift apart.
    /// </summary>
    public async Task<IResult> CancelAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var id = job.Id;
        if (!job.State.IsTerminal())
        {
            var now = time.GetUtcNow();
            // Expires at once: the maintenance round removes the record and whatever the run had written.
            var cancelled = await store.TryTransitionAsync(id, JobStates.Active,
                new JobChange(JobState.Cancelled) { Progress = "cancelled", CompletedAt = now, ExpiresAt = now }, cancellationToken);
            if (cancelled is not null)
            {
                AsyncLog.Cancelled(logger, id);
                foreach (var listener in listeners)
                {
                    listener.OnFinished(cancelled);
                }
                return Accepted(services.GetKeyedService<IJobResultResponder>(job.Kind)?.Cancelled(job) ?? "The job was cancelled.");
            }
            // It finished in the meantime: delete it like any finished job.
        }

        // Gone for every poll from here on, before its files go: a poll that read it a moment ago and now finds no file
        // answers 404 as well, not an error. A node dying midway leaves it to the clean-up round (it expires now).
        await store.TryTransitionAsync(id, [JobState.Completed, JobState.Failed], new JobChange(JobState.Expired) { ExpiresAt = time.GetUtcNow() }, cancellationToken);
        await output.DeletePrefixAsync(id, cancellationToken);
        await store.DeleteAsync(id, cancellationToken);
        AsyncLog.Deleted(logger, id);
        return Accepted("The job and its results were deleted.");
    }

    public async Task<IResult> ResultAsync(string id, HttpContext httpContext)
    {
        var job = await FindAsync(id, httpContext, httpContext.RequestAborted);
        if (job is null || job.Kind != InteractionJobs.Kind)
        {
            return AsyncResults.NotFound(id);
        }
        if (!job.State.IsTerminal())
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"Job '{id}' has no result yet; poll {AsyncResults.StatusUrl(job)}.");
        }
        return AsyncResults.Expiring(services.GetRequiredService<InteractionResponder>().Replay(job), job);
    }

    /// <summary>The caller's job, if it is still there: cancelled and expired jobs are gone, other owners' jobs invisible.</summary>
    public async Task<JobRecord?> FindAsync(string id, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var job = await FindAnyOwnerAsync(id, cancellationToken);
        // A signed file URL (Auth:SignedFileUrls) stands in for the owner's token: it was handed to the owner.
        var signed = httpContext.Items.ContainsKey(Security.FileUrlSigner.SignedRequest);
        if (job is null)
        {
            return null;
        }
        if (!signed && job.Owner != JobOwner.Of(httpContext.User))
        {
            Security.SecurityAudit.OwnershipRefused(httpContext, job.Id, job.Owner);
            return null;
        }
        return job;
    }

    /// <summary>
    /// A job as its status URL shows it, whoever owns it (for operators: the console's jobs view): null when it has no
    /// status URL (a unit) or is gone (cancelled, expired, deleted).
    /// </summary>
    public async Task<JobRecord?> FindAnyOwnerAsync(string id, CancellationToken cancellationToken)
    {
        if (!OutputKey.IsValid(id) || id.Contains('/'))
        {
            return null;
        }
        var job = await store.GetAsync(id, cancellationToken);
        // A job's units are internal: only the job the client started has a status URL.
        return job is null || job.ParentId is not null || job.State is JobState.Cancelled or JobState.Expired ? null : AsSeen(job);
    }

    /// <summary>
    /// The job as a poll sees it: with a simulated duration it reads as running until that time is over; null once a
    /// simulated expiry has passed.
    /// </summary>
    public JobRecord? AsSeen(JobRecord job) =>
        SimulatedBehaviour.Of(job) is { } simulated ? SimulatedStatus.AsSeen(job, simulated, time.GetUtcNow()) : job;

    /// <summary>
    /// Holds a long poll until the job is finished or gone, or the wait is over; then reads it once more. Only the end of
    /// the job answers early: it starting, planning or parking between its units wakes this loop but is no news (the
    /// client would only poll again at once).
    /// </summary>
    /// <returns>The job as it is now; null when it was cancelled or deleted meanwhile.</returns>
    private async Task<JobRecord?> WaitUntilFinishedAsync(JobRecord job, int seconds, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddSeconds(seconds);
        using var changes = signals.Start(job.Id);
        while (true)
        {
            var change = changes.NextChange(); // before the read: a change in between is not missed
            var current = await store.GetAsync(job.Id, cancellationToken);
            if (current is null or { State: JobState.Cancelled or JobState.Expired })
            {
                return null;
            }
            var remaining = deadline - time.GetUtcNow();
            if (current.State.IsTerminal() || remaining <= TimeSpan.Zero)
            {
                return current;
            }
            try
            {
                // Unlike a Task.Delay raced against the change, WaitAsync frees its timer as soon as the job changes.
                await change.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The wait is over: the next round reads the job for the answer.
            }
        }
    }

    private IResult Finished(JobRecord job)
    {
        var responder = services.GetKeyedService<IJobResultResponder>(job.Kind);
        // Every real kind has a responder; this fallback only says how the job ended.
        var result = responder?.Finished(job) ?? FhirResults.Information(StatusCodes.Status200OK, $"Job {job.State.ToWire()}.");
        return AsyncResults.Expiring(result, job);
    }

    /// <summary>The X-Progress text of a job still queued or running (as <see cref="AsSeen"/> shows it).</summary>
    public async Task<string> ProgressAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (SimulatedBehaviour.Of(job) is { DurationSeconds: not null } simulated)
        {
            return SimulatedStatus.Progress(job, simulated, time.GetUtcNow());
        }
        if (job.State == JobState.Queued)
        {
            var ahead = await store.CountQueuedAheadAsync(job, cancellationToken);
            return $"queued (position {ahead + 1})";
        }
        var described = services.GetKeyedService<IJobProgressSource>(job.Kind) is { } source ? await source.DescribeAsync(job, cancellationToken) : null;
        var elapsed = (int)(time.GetUtcNow() - (job.StartedAt ?? job.CreatedAt)).TotalSeconds;
        return $"{described ?? job.Progress ?? "running"}, {elapsed} s elapsed";
    }

    private static IResult Accepted(string text) => FhirResults.Information(StatusCodes.Status202Accepted, text);
}
