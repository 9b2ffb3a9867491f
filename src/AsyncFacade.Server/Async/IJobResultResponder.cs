using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Async;

/// <summary>Answers the status request of a finished job of one kind (keyed by kind): a Bundle, a redirect or a manifest.</summary>
public interface IJobResultResponder
{
    IResult Finished(JobRecord job);

    /// <summary>What the `DELETE` of a running job of this kind tells the client (<paramref name="job"/> as it was just before).</summary>
    string Cancelled(JobRecord job) => "The job was cancelled.";
}
