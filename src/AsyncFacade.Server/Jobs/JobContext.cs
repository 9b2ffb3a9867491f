namespace AsyncFacade.Server.Jobs;

public sealed class JobContext(JobRecord job, IJobStore store)
{
    public JobRecord Job => job;

    /// <summary>Publishes progress (served as X-Progress) and doubles as the job's heartbeat.</summary>
    public Task<bool> ReportProgressAsync(string progress, CancellationToken cancellationToken) =>
        store.ReportProgressAsync(job.Id, progress, cancellationToken);
}
