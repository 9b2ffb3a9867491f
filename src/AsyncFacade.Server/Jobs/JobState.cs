namespace AsyncFacade.Server.Jobs;

/// <summary>Job states as DESIGN.md names them; stored and shown in lower case.</summary>
public enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Expired,
}
