namespace AsyncFacade.Server.Jobs;

public sealed class JobContext(JobRecord job, string lease, IJobStore store)
{
    public JobRecord Job => job;

    /// <summary>Publishes progress (served as X-Progress). False when this run no longer holds the job.</summary>
    public Task<bool> ReportProgressAsync(string progress, CancellationToken cancellationToken) =>
        store.HeartbeatAsync(job.Id, lease, progress, cancellationToken);
}
