using AsyncFacade.Server.Async;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>Creates the job record first, then hands the id to Hangfire, so the runner always finds its record.</summary>
public sealed class JobQueue(IJobStore store, IBackgroundJobClient hangfire, IOutputStore output, TimeProvider time, IHttpContextAccessor http,
    IOptions<AsyncOptions> options, ILogger<JobQueue> logger)
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

    /// <summary>
    /// Every kick-off passes here, so Async:MaxActiveJobsPerOwner is enforced once, by the store, atomically (see
    /// <see cref="IJobStore.TryCreateAsync"/>).
    /// </summary>
    /// <exception cref="ActiveJobLimitException">The owner has too many active jobs; nothing is left of this one.</exception>
    public async Task<JobRecord> EnqueueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var limit = job.ParentId is null ? options.Value.MaxActiveJobsPerOwner : 0;
        if (!await store.TryCreateAsync(job, limit, cancellationToken))
        {
            // The kick-off may have stored the request body under the job's id already.
            await output.DeletePrefixAsync(job.Id, CancellationToken.None);
            if (http.HttpContext is { } httpContext)
            {
                SecurityAudit.ActiveJobLimitReached(httpContext, job.Owner, limit);
            }
            // A slot frees when one of the owner's jobs ends, which its status URL tells: ask again after a poll interval.
            throw new ActiveJobLimitException(job.Owner, limit, options.Value.MaxRetryAfterSeconds);
        }
        try
        {
            Resubmit(job);
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

    /// <summary>
    /// Asks Hangfire to run an existing job (again). Safe to repeat: only one run can claim the job. The label is only
    /// Hangfire's display name (<see cref="JobLabel"/>); the runner still reloads everything from the record.
    /// </summary>
    public void Resubmit(JobRecord job) => Resubmit(job.Id, JobLabel.Of(job));

    /// <inheritdoc cref="Resubmit(JobRecord)"/>
    public void Resubmit(string jobId, string label) => hangfire.Enqueue<JobRunner>(runner => runner.RunAsync(label, jobId, CancellationToken.None));

    /// <summary>Resubmits a job known by id only, reading its record for the label.</summary>
    /// <returns>False when there is no such job (nothing to run).</returns>
    public async Task<bool> ResubmitAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return false;
        }
        Resubmit(job);
        return true;
    }
}
