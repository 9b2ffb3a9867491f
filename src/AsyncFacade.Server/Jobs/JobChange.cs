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

    /// <summary>When set, the change applies only while the job is held under this lease (a zombie run cannot finish a job).</summary>
    public string? RequiredLease { get; init; }

    /// <summary>
    /// Lets go of the lease while the job stays running: the job waits (for its units) without holding a worker, and
    /// the next delivery claims it at once.
    /// </summary>
    public bool ReleaseLease { get; init; }

    public bool Matches(JobRecord job, IReadOnlyCollection<JobState> from) =>
        from.Contains(job.State) && (RequiredLease is null || RequiredLease == job.Lease);

    public JobRecord ApplyTo(JobRecord job, DateTimeOffset now) => job with
    {
        State = State,
        Progress = Progress ?? job.Progress,
        Result = Result ?? job.Result,
        Outcome = Outcome ?? job.Outcome,
        StartedAt = StartedAt ?? job.StartedAt,
        CompletedAt = CompletedAt ?? job.CompletedAt,
        ExpiresAt = ExpiresAt ?? job.ExpiresAt,
        Lease = ReleaseLease ? null : job.Lease,
        UpdatedAt = now,
    };
}
