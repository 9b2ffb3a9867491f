using System.Collections.Concurrent;

namespace AsyncFacade.Server.Jobs;

/// <summary>The embedded default: records live as long as the process.</summary>
internal sealed class InMemoryJobStore(TimeProvider time) : IJobStore
{
    private readonly ConcurrentDictionary<string, JobRecord> jobs = new(StringComparer.Ordinal);

    public Task CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (!jobs.TryAdd(job.Id, job))
        {
            throw new InvalidOperationException($"Job {job.Id} already exists.");
        }
        return Task.CompletedTask;
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.GetValueOrDefault(id));

    public Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken) =>
        Task.FromResult(Update(id, job => from.Contains(job.State) ? change.ApplyTo(job, time.GetUtcNow()) : null));

    public Task<bool> ReportProgressAsync(string id, string progress, CancellationToken cancellationToken) =>
        Task.FromResult(Update(id, job => job.State == JobState.Running ? job with { Progress = progress, UpdatedAt = time.GetUtcNow() } : null) is not null);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(jobs.TryRemove(id, out _));

    public Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> expired = jobs.Values
            .Where(j => j.ExpiresAt <= now)
            .OrderBy(j => j.ExpiresAt)
            .Take(limit)
            .Select(j => j.Id)
            .ToList();
        return Task.FromResult(expired);
    }

    /// <summary>Compare-and-set loop: retries when another thread replaced the record in between.</summary>
    private JobRecord? Update(string id, Func<JobRecord, JobRecord?> change)
    {
        while (jobs.TryGetValue(id, out var current))
        {
            if (change(current) is not { } updated)
            {
                return null;
            }
            if (jobs.TryUpdate(id, updated, current))
            {
                return updated;
            }
        }
        return null;
    }
}
