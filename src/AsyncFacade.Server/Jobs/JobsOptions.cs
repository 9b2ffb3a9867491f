using System.ComponentModel.DataAnnotations;

namespace AsyncFacade.Server.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this process (jobs running at once).</summary>
    [Range(1, 200, ErrorMessage = "Jobs:WorkerCount must be 1–200.")]
    public int WorkerCount { get; set; } = 10;

    /// <summary>How often PostgreSQL workers look for new jobs. Hangfire's 15 s default would delay every short job.</summary>
    [Range(50, 15_000, ErrorMessage = "Jobs:QueuePollIntervalMs must be 50–15000.")]
    public int QueuePollIntervalMs { get; set; } = 200;

    /// <summary>How often a running job checks whether it was deleted (cancelled). Hangfire's 5 s default is too slow.</summary>
    [Range(50, 5_000, ErrorMessage = "Jobs:CancellationCheckIntervalMs must be 50–5000.")]
    public int CancellationCheckIntervalMs { get; set; } = 250;

    /// <summary>Open the /hangfire dashboard to remote requests (local requests only by default).</summary>
    public bool DashboardAllowRemote { get; set; }
}
