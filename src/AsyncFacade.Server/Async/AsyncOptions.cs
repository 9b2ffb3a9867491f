namespace AsyncFacade.Server.Async;

public sealed class AsyncOptions
{
    public const string Section = "Async";

    /// <summary>Retry-After for a job that just started; it grows with the job's age (a tenth of it) up to the maximum.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    public int MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Cap on `Prefer: wait=N` long polls.</summary>
    public int MaxWaitSeconds { get; set; } = 30;

    /// <summary>How long a finished job's status and result stay available; then a cleanup removes them.</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Answer 429 to a client that keeps polling much faster than the Retry-After it was given.</summary>
    public bool ThrottleOverPolling { get; set; } = true;

    /// <summary>
    /// Queued or running jobs (units not counted) one owner may have; a kick-off beyond it gets 429 `throttled`. 0: no limit.
    /// 100 leaves a busy pipeline room while one client cannot fill every worker's queue.
    /// </summary>
    public int MaxActiveJobsPerOwner { get; set; } = 100;
}
