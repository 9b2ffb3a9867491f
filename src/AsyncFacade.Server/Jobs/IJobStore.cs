namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Job records: in memory for the embedded default, PostgreSQL for durable and multi-node set-ups.
/// Every write that changes state is a compare-and-set on the current state, so a cancel and a finishing
/// worker (possibly on another node) can race and exactly one of them wins.
/// </summary>
public interface IJobStore
{
    /// <exception cref="InvalidOperationException">A job with the same id exists.</exception>
    Task CreateAsync(JobRecord job, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> if the job's state is one of <paramref name="from"/>.</summary>
    /// <returns>The updated record, or null when the job is missing or in another state.</returns>
    Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken);

    /// <summary>Sets the progress text of a running job (also its heartbeat); false when it is no longer running.</summary>
    Task<bool> ReportProgressAsync(string id, string progress, CancellationToken cancellationToken);

    /// <returns>False when there was no such job.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ids of jobs whose <see cref="JobRecord.ExpiresAt"/> is at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
