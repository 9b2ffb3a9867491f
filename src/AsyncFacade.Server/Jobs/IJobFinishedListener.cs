namespace AsyncFacade.Server.Jobs;

/// <summary>Told when a job reaches completed, failed or cancelled (e.g. to send its callback). Must not block.</summary>
public interface IJobFinishedListener
{
    void OnFinished(JobRecord job);
}
