namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Not a failure: the job has handed its work to units (child jobs) and waits for them without holding a worker.
/// The runner lets go of the lease and leaves the job running; a finishing unit resubmits it. The job cannot hold a
/// worker while it waits: with every worker busy waiting, no unit would ever run.
/// </summary>
/// <param name="wakeNowAsync">
/// Asked once the job is parked: true when something the handler waits for happened while it still held the lease
/// (a unit that finished then found the job busy), so the job must run again at once instead of waiting.
/// </param>
public sealed class JobWaitingException(string progress, Func<CancellationToken, Task<bool>> wakeNowAsync)
    : Exception("The job waits for its units.")
{
    public string Progress => progress;

    public Task<bool> WakeNowAsync(CancellationToken cancellationToken) => wakeNowAsync(cancellationToken);
}
