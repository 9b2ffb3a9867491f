namespace AsyncFacade.Server.Jobs;

/// <summary>A state change and the fields it sets; null fields keep their stored value.</summary>
public sealed record JobChange(JobState State)
{
    public string? Progress { get; init; }

    public string? Result { get; init; }

    public string? Outcome { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public JobRecord ApplyTo(JobRecord job, DateTimeOffset now) => job with
    {
        State = State,
        Progress = Progress ?? job.Progress,
        Result = Result ?? job.Result,
        Outcome = Outcome ?? job.Outcome,
        StartedAt = StartedAt ?? job.StartedAt,
        CompletedAt = CompletedAt ?? job.CompletedAt,
        ExpiresAt = ExpiresAt ?? job.ExpiresAt,
        UpdatedAt = now,
    };
}
