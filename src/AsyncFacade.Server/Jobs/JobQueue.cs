using Hangfire;

namespace AsyncFacade.Server.Jobs;

/// <summary>Creates the job record first, then hands the id to Hangfire, so the runner always finds its record.</summary>
public sealed class JobQueue(IJobStore store, IBackgroundJobClient hangfire, TimeProvider time, ILogger<JobQueue> logger)
{
    public async Task<JobRecord> EnqueueAsync(string kind, string owner, JobRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var job = new JobRecord
        {
            // 122 random bits: job URLs are not guessable (ownership checks still apply when auth is on).
            Id = Guid.NewGuid().ToString("N"),
            Owner = owner,
            Kind = kind,
            Request = request,
            State = JobState.Queued,
            Progress = "queued",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.CreateAsync(job, cancellationToken);
        try
        {
            hangfire.Enqueue<JobRunner>(runner => runner.RunAsync(job.Id, CancellationToken.None));
        }
        catch
        {
            await store.DeleteAsync(job.Id, CancellationToken.None);
            throw;
        }
        JobsLog.Queued(logger, job.Id, kind);
        return job;
    }
}
