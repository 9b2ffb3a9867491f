namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Job records: in memory for the embedded default, PostgreSQL for durable and multi-node set-ups.
/// Every write that changes state is a compare-and-set on the current state (and, for a running job, its
/// lease), so a cancel and a finishing worker, possibly on another node, race and exactly one wins.
/// Every state change is announced through <see cref="JobSignals"/> (across nodes with PostgreSQL).
/// </summary>
public interface IJobStore
{
    /// <exception cref="InvalidOperationException">A job with the same id exists.</exception>
    Task CreateAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a top-level job unless its owner already has <paramref name="maxActiveOfOwner"/> queued or running top-level
    /// jobs (units do not count); 0 means no limit. The count and the insert are one step, on every node of a shared store,
    /// so a burst of kick-offs cannot overshoot the limit.
    /// </summary>
    /// <returns>False when the owner is at the limit: nothing was created.</returns>
    /// <exception cref="InvalidOperationException">A job with the same id exists.</exception>
    Task<bool> TryCreateAsync(JobRecord job, int maxActiveOfOwner, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="ids"/> are jobs (or units) in the store: one lookup for a batch, for the orphan sweep.</summary>
    Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// A page of top-level jobs (<see cref="JobRecord.ParentId"/> null), newest first by (created, id), filtered by
    /// state, owner and kind: one bounded query, whatever the store holds.
    /// </summary>
    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>The units a job fanned out (<see cref="JobRecord.ParentId"/>), ordered by id.</summary>
    Task<IReadOnlyList<JobRecord>> ListChildrenAsync(string parentId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the job for one run: queued → running; running without a lease (waiting, see <see cref="JobChange.ReleaseLease"/>)
    /// or with a heartbeat older than <paramref name="staleBefore"/> (its node died) → running under the new lease.
    /// </summary>
    /// <returns>The claimed record, or null when the job is finished, missing or held by a live run.</returns>
    Task<JobRecord?> TryClaimAsync(string id, string lease, DateTimeOffset staleBefore, CancellationToken cancellationToken);

    /// <summary>Proves the run holding <paramref name="lease"/> is alive, optionally with new progress text.</summary>
    /// <returns>False when the job is no longer running under that lease (cancelled, or taken over).</returns>
    Task<bool> HeartbeatAsync(string id, string lease, string? progress, CancellationToken cancellationToken);

    /// <summary>Saves the running job's checkpoint (also a heartbeat); false when this run no longer holds the job.</summary>
    Task<bool> SaveCheckpointAsync(string id, string lease, string checkpoint, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> if the job's state is one of <paramref name="from"/> (and the lease matches, if required).</summary>
    /// <returns>The updated record, or null when the job is missing or in another state.</returns>
    Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken);

    /// <summary>Deletes the job and its units.</summary>
    /// <returns>False when there was no such job.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>How many queued jobs (not units) were created before this one (its queue position minus one).</summary>
    Task<int> CountQueuedAheadAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>How many records the store holds, units included: a refused request must leave this unchanged.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>Ids of jobs whose <see cref="JobRecord.ExpiresAt"/> is at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Ids of running jobs whose last heartbeat is older than <paramref name="staleBefore"/>: their run died with its node.</summary>
    Task<IReadOnlyList<string>> ListStaleAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Ids of jobs that have waited for their units (running without a lease) since before <paramref name="staleBefore"/>.</summary>
    Task<IReadOnlyList<string>> ListWaitingAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken);
}
