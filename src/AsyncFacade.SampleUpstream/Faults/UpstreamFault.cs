namespace AsyncFacade.SampleUpstream.Faults;

/// <summary>What goes wrong with a request the fault picks.</summary>
public enum FaultKind
{
    /// <summary>429 with Retry-After and a `throttled` OperationOutcome.</summary>
    TooManyRequests,

    /// <summary>500 with an `exception` OperationOutcome.</summary>
    InternalError,

    /// <summary>503 with Retry-After and a `transient` OperationOutcome.</summary>
    Unavailable,

    /// <summary>The answer is delayed by <see cref="UpstreamFault.DelayMilliseconds"/>, then served normally.</summary>
    Slow,

    /// <summary>The connection is aborted after <see cref="UpstreamFault.Bytes"/> bytes of the body.</summary>
    Drop,

    /// <summary>The body ends cleanly after <see cref="UpstreamFault.Bytes"/> bytes: truncated JSON under a 200.</summary>
    Truncate,

    /// <summary>A 200 whose body is not valid JSON (an error page from a proxy, say).</summary>
    InvalidJson,
}

/// <summary>
/// One fault of a <see cref="FaultPlan"/>. It hits a request with <see cref="Probability"/>; with
/// <see cref="FirstAttempts"/> only the first n attempts at each URL, so a client that retries gets through.
/// </summary>
public sealed record UpstreamFault(FaultKind Kind)
{
    public double Probability { get; init; } = 1;

    public int? FirstAttempts { get; init; }

    /// <summary>Retry-After of a 429 or 503 in seconds; null sends none.</summary>
    public int? RetryAfterSeconds { get; init; } = 1;

    public int DelayMilliseconds { get; init; } = 2000;

    public int Bytes { get; init; } = 1024;

    /// <summary>Only requests whose path contains this (e.g. `Observation`); null: every request.</summary>
    public string? PathContains { get; init; }
}
