using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Async;

/// <summary>Answers the status request of a finished job of one kind (keyed by kind): a Bundle, a redirect or a manifest.</summary>
public interface IJobResultResponder
{
    IResult Finished(JobRecord job);
}
