namespace AsyncFacade.Client;

/// <summary>What one status poll said.</summary>
public enum JobState
{
    /// <summary>Still running (202, or a 200 whose body says it is in progress).</summary>
    InProgress,

    /// <summary>Finished: a manifest, a batch-response Bundle, another body, or a 303 to the result.</summary>
    Completed,

    /// <summary>429 on a status poll: not a failure, the client polls again after Retry-After.</summary>
    Throttled,

    /// <summary>A failure that may pass (`transient`/`throttled`/`timeout` outcome, 502–504, a network error): poll again.</summary>
    TransientError,

    /// <summary>The job failed for good (or is gone): its OperationOutcome says why.</summary>
    Failed,
}
