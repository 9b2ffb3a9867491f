using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Telemetry;

/// <summary>Counts finished jobs where every end is announced: the runner (completed, failed) and the cancel (cancelled).</summary>
internal sealed class JobMetricsListener(FacadeMetrics metrics) : IJobFinishedListener
{
    public void OnFinished(JobRecord job) => metrics.JobFinished(job);
}
