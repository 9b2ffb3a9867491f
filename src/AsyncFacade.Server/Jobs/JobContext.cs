namespace AsyncFacade.Server.Jobs;

public sealed class JobContext(JobRecord job, string lease, bool resumed, IJobStore store, CancellationToken stopping = default)
{
    public JobRecord Job => job;

    /// <summary>
    /// An earlier run of this job started and did not finish (its node died, or shut down). Work it had sent
    /// outside may or may not have taken effect.
    /// </summary>
    public bool Resumed => resumed;

    /// <summary>What the interrupted run saved, if this run resumes one.</summary>
    public string? Checkpoint => job.Checkpoint;

    /// <summary>The process is shutting down: the job stops at its next checkpoint (see <see cref="JobShutdown"/>).</summary>
    public bool StopRequested => stopping.IsCancellationRequested;

    public CancellationToken Stopping => stopping;

    /// <summary>
    /// Saves how far the job got; false when this run no longer holds the job. While the process shuts down this is the
    /// job's safe point: once the checkpoint is saved it throws <see cref="OperationCanceledException"/>, and the next
    /// run (after the restart, or on another node) continues from exactly here.
    /// </summary>
    public async Task<bool> SaveCheckpointAsync(string checkpoint, CancellationToken cancellationToken)
    {
        var saved = await store.SaveCheckpointAsync(job.Id, lease, checkpoint, cancellationToken);
        stopping.ThrowIfCancellationRequested();
        return saved;
    }

    /// <summary>Publishes progress (served as X-Progress). False when this run no longer holds the job.</summary>
    public Task<bool> ReportProgressAsync(string progress, CancellationToken cancellationToken) =>
        store.HeartbeatAsync(job.Id, lease, progress, cancellationToken);
}
