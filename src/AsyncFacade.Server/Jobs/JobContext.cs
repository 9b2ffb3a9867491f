namespace AsyncFacade.Server.Jobs;

public sealed class JobContext(JobRecord job, string lease, bool resumed, IJobStore store)
{
    public JobRecord Job => job;

    /// <summary>
    /// An earlier run of this job started and did not finish (its node died, or shut down). Work it had sent
    /// outside may or may not have taken effect.
    /// </summary>
    public bool Resumed => resumed;

    /// <summary>What the interrupted run saved, if this run resumes one.</summary>
    public string? Checkpoint => job.Checkpoint;

    /// <summary>Saves how far the job got; false when this run no longer holds the job.</summary>
    public Task<bool> SaveCheckpointAsync(string checkpoint, CancellationToken cancellationToken) =>
        store.SaveCheckpointAsync(job.Id, lease, checkpoint, cancellationToken);

    /// <summary>Publishes progress (served as X-Progress). False when this run no longer holds the job.</summary>
    public Task<bool> ReportProgressAsync(string progress, CancellationToken cancellationToken) =>
        store.HeartbeatAsync(job.Id, lease, progress, cancellationToken);
}
