using Hangfire;

namespace AsyncFacade.Server.Jobs;

/// <summary>Creates the job record first, then hands the id to Hangfire, so the runner always finds its record.</summary>
public sealed class JobQueue(IJobStore store, IBackgroundJobClient hangfire, TimeProvider time, IHttpContextAccessor http, ILogger<JobQueue> logger)
{
    /// <summary>
    /// HttpContext.Items key of headers (a string dictionary) that middleware wants kept with any job the request
    /// starts, whatever its kind (the simulation mode's `X-Simulate`).
    /// </summary>
    public const string KeptHeadersItem = "AsyncFacade.KeptHeaders";

    /// <summary>A queued record with a fresh id, for the caller to complete (mode, base URL…) and pass to <see cref="EnqueueAsync"/>.</summary>
    public JobRecord NewJob(string kind, string owner, JobRequest request)
    {
        var now = time.GetUtcNow();
        if (http.HttpContext?.Items[KeptHeadersItem] is IReadOnlyDictionary<string, string> kept)
        {
            var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in kept)
            {
                headers[name] = value;
            }
            request = request with { Headers = headers };
        }
        return new JobRecord
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
    }

    public async Task<JobRecord> EnqueueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await store.CreateAsync(job, cancellationToken);
        try
        {
            Resubmit(job.Id);
        }
        catch
        {
            await store.DeleteAsync(job.Id, CancellationToken.None);
            throw;
        }
        JobsLog.Queued(logger, job.Id, job.Kind);
        return job;
    }

    public Task<JobRecord> EnqueueAsync(string kind, string owner, JobRequest request, CancellationToken cancellationToken) =>
        EnqueueAsync(NewJob(kind, owner, request), cancellationToken);

    /// <summary>Asks Hangfire to run an existing job (again). Safe to repeat: only one run can claim the job.</summary>
    public void Resubmit(string jobId) => hangfire.Enqueue<JobRunner>(runner => runner.RunAsync(jobId, CancellationToken.None));
}
