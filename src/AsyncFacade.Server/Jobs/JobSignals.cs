using System.Collections.Concurrent;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// "Job X changed state" inside this process: wakes long polls and lets a running job notice it was cancelled.
/// The in-memory store signals directly; with PostgreSQL every node learns of every change via LISTEN/NOTIFY.
/// </summary>
public sealed class JobSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);

    /// <summary>
    /// A task that completes at the job's next change. Take it before reading the job, then await it:
    /// a change between the read and the wait is not missed.
    /// </summary>
    public Task NextChange(string jobId) =>
        waiters.GetOrAdd(jobId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string jobId)
    {
        if (waiters.TryRemove(jobId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
