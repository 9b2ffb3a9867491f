using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Part of a running job's result, served with the in-progress 202 (keyed by kind): a Bulk Data export kicked off with
/// `allowPartialManifests` shows the files that are ready.
/// </summary>
public interface IJobPartialResult
{
    /// <returns>A 202 result with the partial body, or null for the plain 202.</returns>
    Task<IResult?> PartialAsync(JobRecord job, CancellationToken cancellationToken);
}
