using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using Hangfire;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The one Hangfire entry point. Its argument is the job id only: everything else is reloaded from the record,
/// which stays the source of truth (Hangfire serialises arguments and may deliver a job more than once).
/// </summary>
public sealed class JobRunner(IJobStore store, IServiceProvider services, TimeProvider time, IOptions<AsyncOptions> asyncOptions, ILogger<JobRunner> logger)
{
    // Handler failures are recorded on the job, not retried. Only infrastructure errors (the store itself
    // unreachable) escape; Hangfire retries those a few times with its growing delay.
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            JobsLog.Skipped(logger, jobId, "missing");
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id, ["Kind"] = job.Kind });
        // Running → Running is a re-delivery after a crash or shutdown: the handler resumes from its checkpoints.
        var running = await store.TryTransitionAsync(jobId, JobStates.Active,
            new JobChange(JobState.Running) { StartedAt = job.StartedAt ?? time.GetUtcNow(), Progress = "running" }, cancellationToken);
        if (running is null)
        {
            JobsLog.Skipped(logger, jobId, job.State.ToWire());
            return;
        }
        JobsLog.Started(logger, jobId);

        var handler = services.GetKeyedService<IJobHandler>(running.Kind);
        if (handler is null)
        {
            await FinishAsync(jobId, Failure(OperationOutcome.IssueType.NotSupported, $"No handler for job kind '{running.Kind}'."), cancellationToken);
            return;
        }

        JobChange outcome;
        try
        {
            var result = await handler.RunAsync(new JobContext(running, store), cancellationToken);
            outcome = new JobChange(JobState.Completed) { Result = result, Progress = "completed" };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Either the job was cancelled (its record already says so) or the process is stopping: then
            // rethrow so Hangfire re-queues it and the handler resumes on the next start.
            var current = await store.GetAsync(jobId, CancellationToken.None);
            if (current is null || current.State.IsTerminal())
            {
                return;
            }
            JobsLog.Interrupted(logger, jobId);
            throw;
        }
        catch (JobFailedException ex)
        {
            outcome = Failure(ex.Outcome);
        }
        catch (Exception ex)
        {
            JobsLog.Failed(logger, jobId, ex);
            outcome = Failure(OperationOutcome.IssueType.Exception, "The job failed unexpectedly; see the server log for job " + jobId + ".");
        }
        await FinishAsync(jobId, outcome, cancellationToken);
    }

    private async Task FinishAsync(string jobId, JobChange change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var finished = await store.TryTransitionAsync(jobId, [JobState.Running],
            change with { CompletedAt = now, ExpiresAt = now + asyncOptions.Value.ResultTtl }, CancellationToken.None);
        JobsLog.Finished(logger, jobId, (finished?.State ?? JobState.Cancelled).ToWire());
    }

    private static JobChange Failure(OperationOutcome.IssueType code, string diagnostics) => Failure(Outcomes.Create(code, diagnostics));

    private static JobChange Failure(OperationOutcome outcome) =>
        new(JobState.Failed) { Outcome = FhirJson.Serialize(outcome), Progress = "failed" };
}
