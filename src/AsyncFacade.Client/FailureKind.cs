namespace AsyncFacade.Client;

/// <summary>Why an async request did not end in a result; picks the CLI's exit code.</summary>
public enum FailureKind
{
    /// <summary>The server says the job (or the request) failed for good: retrying the same request will not help.</summary>
    Terminal,

    /// <summary>Transient errors (`transient`, `throttled`, `timeout`, 429, 502–504, network) outlasted the retry budget.</summary>
    Transient,

    /// <summary>No token could be had, or the server refused the one sent (401/403).</summary>
    Unauthorized,

    /// <summary>The job's results or files expired (past `Expires`, or gone with 404) before they were fetched.</summary>
    Expired,
}
