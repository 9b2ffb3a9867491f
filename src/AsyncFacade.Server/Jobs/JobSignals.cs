namespace AsyncFacade.Server.Jobs;

/// <summary>
/// "Job X changed state" inside this process: wakes long polls and lets a running job notice it was cancelled.
/// The in-memory store signals directly; with PostgreSQL every node learns of every change via LISTEN/NOTIFY.
/// A job is tracked only while someone watches it: the last watcher to leave (its wait over, its client gone) removes
/// it, so waits that end without a change leave nothing behind.
/// </summary>
public sealed class JobSignals
{
    // One lock for all jobs: each step under it is a lookup and a swap, and a count kept under the same lock is what
    // lets the last watcher remove the entry without racing a new watcher of the same job.
    private readonly Lock gate = new();
    private readonly Dictionary<string, Watched> watched = new(StringComparer.Ordinal);

    /// <summary>Starts watching a job; dispose to stop. Take <see cref="Watch.NextChange"/> before each read of the job.</summary>
    public Watch Start(string jobId)
    {
        lock (gate)
        {
            if (!watched.TryGetValue(jobId, out var entry))
            {
                watched[jobId] = entry = new Watched();
            }
            entry.Watchers++;
            return new Watch(this, jobId, entry);
        }
    }

    /// <summary>How many watches of the job are open in this process.</summary>
    public int Watchers(string jobId)
    {
        lock (gate)
        {
            return watched.TryGetValue(jobId, out var entry) ? entry.Watchers : 0;
        }
    }

    public void Notify(string jobId)
    {
        TaskCompletionSource changed;
        lock (gate)
        {
            if (!watched.TryGetValue(jobId, out var entry))
            {
                return;
            }
            changed = entry.Changed;
            entry.Changed = NewChange();
        }
        changed.TrySetResult();
    }

    private void Stop(string jobId, Watched entry)
    {
        lock (gate)
        {
            if (--entry.Watchers == 0)
            {
                watched.Remove(jobId);
            }
        }
    }

    private static TaskCompletionSource NewChange() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed class Watch : IDisposable
    {
        private readonly JobSignals signals;
        private readonly string jobId;
        private readonly Watched entry;
        private int disposed;

        internal Watch(JobSignals signals, string jobId, Watched entry) => (this.signals, this.jobId, this.entry) = (signals, jobId, entry);

        /// <summary>
        /// A task that completes at the job's next change. Take it before reading the job, then await it:
        /// a change between the read and the wait is not missed.
        /// </summary>
        public Task NextChange()
        {
            lock (signals.gate)
            {
                return entry.Changed.Task;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                signals.Stop(jobId, entry);
            }
        }
    }

    internal sealed class Watched
    {
        public int Watchers { get; set; }

        public TaskCompletionSource Changed { get; set; } = NewChange();
    }
}
