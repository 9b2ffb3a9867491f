namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The source of truth for a job's status (Hangfire only executes). Immutable: stores hand out copies and
/// apply changes through <see cref="IJobStore.TryTransitionAsync"/>, which checks the state it starts from.
/// </summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    /// <summary>The client the job belongs to (token client id when auth is on, "anonymous" otherwise).</summary>
    public required string Owner { get; init; }

    /// <summary>Which handler runs it: e.g. "interaction", "export", "import".</summary>
    public required string Kind { get; init; }

    public required JobRequest Request { get; init; }

    /// <summary>How the finished result is served: "bundle", "redirect" or "manifest".</summary>
    public string Mode { get; init; } = "bundle";

    /// <summary>The facade's FHIR base as the client saw it at kick-off; status, result and file URLs are built on it.</summary>
    public string BaseUrl { get; init; } = "";

    /// <summary>Where to POST the completion callback, if the client asked for one.</summary>
    public string? CallbackUrl { get; init; }

    public JobState State { get; init; } = JobState.Queued;

    /// <summary>Human-readable progress, served as X-Progress.</summary>
    public string? Progress { get; init; }

    /// <summary>Kind-specific JSON describing the stored result (e.g. output-store keys and counts).</summary>
    public string? Result { get; init; }

    /// <summary>OperationOutcome JSON when the job failed.</summary>
    public string? Outcome { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When a finished job and its files are removed.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Which run owns the job while it is running; a stale heartbeat lets another node take it over.</summary>
    public string? Lease { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>Kind-specific JSON a handler saves as it goes, so a resumed run continues instead of starting over.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>
    /// Set on a unit of work a job fanned out (an export's type or time slice). Such a job is internal: clients never
    /// see it, it expires and is deleted with its parent, and finishing it wakes the parent.
    /// </summary>
    public string? ParentId { get; init; }
}
