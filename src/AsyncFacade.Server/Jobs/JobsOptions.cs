namespace AsyncFacade.Server.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this process (jobs running at once).</summary>
    public int WorkerCount { get; set; } = 10;

    /// <summary>How often PostgreSQL workers look for new jobs. Hangfire's 15 s default would delay every short job.</summary>
    public int QueuePollIntervalMs { get; set; } = 200;

    /// <summary>How often a running job checks whether it was deleted (cancelled). Hangfire's 5 s default is too slow.</summary>
    public int CancellationCheckIntervalMs { get; set; } = 250;

    /// <summary>How often a running job proves it is alive.</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>A running job silent this long is taken to have died with its node, and is run again elsewhere.</summary>
    public int OrphanAfterSeconds { get; set; } = 30;

    /// <summary>How often expired jobs are removed and orphaned ones re-queued.</summary>
    public int MaintenanceIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Objects in the output store under a prefix that is no job's id (a crash between a kick-off storing its body and
    /// creating its record, a record deleted without its files) are removed once two sweeps this far apart both found
    /// them orphaned. It must cover the kick-off's store-then-create window by far: minutes, not seconds, in production.
    /// </summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a stopping process (SIGTERM) may take. Running jobs get most of it to reach their next checkpoint
    /// (<see cref="ShutdownDrain"/>); the rest is for handing them back and stopping the web server and Hangfire.
    /// Keep it at or below the orchestrator's grace period (Kubernetes: terminationGracePeriodSeconds, 30 s by default).
    /// </summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);

    /// <summary>The part of the shutdown timeout jobs get to stop at a checkpoint: all but 5 s (all but half, for short timeouts).</summary>
    public TimeSpan ShutdownDrain => ShutdownTimeout - TimeSpan.FromSeconds(Math.Min(5, ShutdownTimeoutSeconds / 2.0));

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public TimeSpan OrphanAfter => TimeSpan.FromSeconds(OrphanAfterSeconds);

    /// <summary>Open the /hangfire dashboard and the console's jobs view (/console/jobs) to remote requests (local requests only by default).</summary>
    public bool DashboardAllowRemote { get; set; }
}
