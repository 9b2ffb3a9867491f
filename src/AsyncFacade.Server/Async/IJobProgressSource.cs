using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Async;

/// <summary>
/// The X-Progress of a running job of one kind (keyed by kind) whose own record does not say it all: an export's
/// units each record their own progress, and the status sums them up.
/// </summary>
public interface IJobProgressSource
{
    /// <returns>The progress text, or null to use the record's.</returns>
    Task<string?> DescribeAsync(JobRecord job, CancellationToken cancellationToken);
}
