using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Async;

/// <summary>Sends the job's callback, if its kick-off asked for one: best effort, queued, never blocking the job.</summary>
internal sealed class CallbackOnFinish(CallbackNotifier notifier) : IJobFinishedListener
{
    public void OnFinished(JobRecord job)
    {
        if (job.CallbackUrl is null)
        {
            return;
        }
        // The result URL is where the client goes next: the redirect target in redirect mode, otherwise the status URL.
        var resultUrl = job.Mode == PreferHeader.Redirect && job.State == JobState.Completed ? AsyncResults.ResultUrl(job) : AsyncResults.StatusUrl(job);
        notifier.Notify(new CallbackNotification(job.Id, job.CallbackUrl, job.State.ToWire(), resultUrl,
            job.State == JobState.Failed ? job.Outcome : null));
    }
}
