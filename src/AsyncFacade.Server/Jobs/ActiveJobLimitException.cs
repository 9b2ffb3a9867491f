namespace AsyncFacade.Server.Jobs;

/// <summary>
/// A kick-off refused because its owner already has <see cref="Limit"/> queued or running jobs
/// (Async:MaxActiveJobsPerOwner). Thrown, not returned, so a kick-off that forgets to answer it fails loudly
/// instead of answering 202 for a job that was never created.
/// </summary>
public sealed class ActiveJobLimitException(string owner, int limit, int retryAfterSeconds)
    : Exception($"{owner} already has {limit} queued or running jobs.")
{
    public string Owner { get; } = owner;

    public int Limit { get; } = limit;

    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
