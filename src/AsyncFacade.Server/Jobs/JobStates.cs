namespace AsyncFacade.Server.Jobs;

public static class JobStates
{
    public static readonly JobState[] Active = [JobState.Queued, JobState.Running];

    public static bool IsTerminal(this JobState state) => state is not (JobState.Queued or JobState.Running);

    public static string ToWire(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "cancelled",
        JobState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static JobState Parse(string wire) => wire switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "completed" => JobState.Completed,
        "failed" => JobState.Failed,
        "cancelled" => JobState.Cancelled,
        "expired" => JobState.Expired,
        _ => throw new FormatException($"Unknown job state '{wire}'."),
    };
}
