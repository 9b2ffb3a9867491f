using System.Collections.Concurrent;

namespace AsyncFacade.Server.Jobs;

/// <summary>The embedded default: records live as long as the process.</summary>
internal sealed class InMemoryJobStore(TimeProvider time, JobSignals signals) : IJobStore
{
    private readonly ConcurrentDictionary<string, JobRecord> jobs = new(StringComparer.Ordinal);

    // Serialises creates that count first: two kick-offs of one owner must not both see room for one more job.
    private readonly Lock limitedCreate = new();

    public Task CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        Add(job);
        return Task.CompletedTask;
    }

    public Task<bool> TryCreateAsync(JobRecord job, int maxActiveOfOwner, CancellationToken cancellationToken)
    {
        lock (limitedCreate)
        {
            // A scan like CountQueuedAheadAsync: the embedded store holds one process's jobs.
            if (maxActiveOfOwner > 0 &&
                jobs.Values.Count(j => j.Owner == job.Owner && j.ParentId is null && j.State is JobState.Queued or JobState.Running) >= maxActiveOfOwner)
            {
                return Task.FromResult(false);
            }
            Add(job);
        }
        return Task.FromResult(true);
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.GetValueOrDefault(id));

    public Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(ids.Where(jobs.ContainsKey).ToHashSet(StringComparer.Ordinal));

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        // A scan like CountQueuedAheadAsync (the embedded store holds one process's jobs); OrderBy + Take keeps only the page.
        var limit = query.ClampedLimit;
        var page = jobs.Values
            .Where(j => j.ParentId is null && (query.State is not { } state || j.State == state) && (query.Owner is null || j.Owner == query.Owner)
                        && (query.Kind is null || j.Kind == query.Kind) && (query.Before is null || query.Before.Precedes(j)))
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)
            .Take(limit + 1).ToList();
        return Task.FromResult(JobPage.Of(page, limit));
    }

    public Task<IReadOnlyList<JobRecord>> ListChildrenAsync(string parentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobRecord>>(jobs.Values.Where(j => j.ParentId == parentId).OrderBy(j => j.Id, StringComparer.Ordinal).ToList());

    public Task<JobRecord?> TryClaimAsync(string id, string lease, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Update(id, job =>
            job.State == JobState.Queued || (job.State == JobState.Running && (job.Lease is null || job.HeartbeatAt < staleBefore))
                ? job with { State = JobState.Running, Lease = lease, HeartbeatAt = now, StartedAt = job.StartedAt ?? now, UpdatedAt = now }
                : null, signal: true));
    }

    public Task<bool> HeartbeatAsync(string id, string lease, string? progress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Update(id, job =>
            job.State == JobState.Running && job.Lease == lease
                ? job with { HeartbeatAt = now, Progress = progress ?? job.Progress, UpdatedAt = now }
                : null, signal: false) is not null);
    }

    public Task<bool> SaveCheckpointAsync(string id, string lease, string checkpoint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Update(id, job =>
            job.State == JobState.Running && job.Lease == lease ? job with { Checkpoint = checkpoint, HeartbeatAt = now, UpdatedAt = now } : null,
            signal: false) is not null);
    }

    public Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken) =>
        Task.FromResult(Update(id, job => change.Matches(job, from) ? change.ApplyTo(job, time.GetUtcNow()) : null, signal: true));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = jobs.TryRemove(id, out _);
        foreach (var child in jobs.Values.Where(j => j.ParentId == id))
        {
            jobs.TryRemove(child.Id, out _);
            signals.Notify(child.Id);
        }
        signals.Notify(id);
        return Task.FromResult(deleted);
    }

    public Task<int> CountQueuedAheadAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Values.Count(j => j.State == JobState.Queued && j.ParentId is null && j.CreatedAt < job.CreatedAt));

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(jobs.Count);

    public Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(jobs.Values.Where(j => j.ExpiresAt <= now).OrderBy(j => j.ExpiresAt).Take(limit).Select(j => j.Id).ToList());

    public Task<IReadOnlyList<string>> ListStaleAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(RunningBefore(staleBefore, limit, waiting: false));

    public Task<IReadOnlyList<string>> ListWaitingAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(RunningBefore(staleBefore, limit, waiting: true));

    private IReadOnlyList<string> RunningBefore(DateTimeOffset staleBefore, int limit, bool waiting) =>
        jobs.Values.Where(j => j.State == JobState.Running && j.HeartbeatAt < staleBefore && (j.Lease is null) == waiting)
            .OrderBy(j => j.HeartbeatAt).Take(limit).Select(j => j.Id).ToList();

    private void Add(JobRecord job)
    {
        if (!jobs.TryAdd(job.Id, job))
        {
            throw new InvalidOperationException($"Job {job.Id} already exists.");
        }
    }

    /// <summary>Compare-and-set loop: retries when another thread replaced the record in between.</summary>
    private JobRecord? Update(string id, Func<JobRecord, JobRecord?> change, bool signal)
    {
        while (jobs.TryGetValue(id, out var current))
        {
            if (change(current) is not { } updated)
            {
                return null;
            }
            if (jobs.TryUpdate(id, updated, current))
            {
                if (signal)
                {
                    signals.Notify(id);
                }
                return updated;
            }
        }
        return null;
    }
}
