using System.Net;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>One status poll's answer, interpreted.</summary>
public sealed record JobStatus(JobState State, HttpStatusCode? StatusCode)
{
    /// <summary>The server's `X-Progress` text.</summary>
    public string? Progress { get; init; }

    /// <summary>Retry-After as a delay (from seconds or an HTTP-date).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The result when <see cref="State"/> is Completed.</summary>
    public JobResult? Result { get; init; }

    /// <summary>The OperationOutcome of an error, a throttle or an in-progress 200.</summary>
    public OperationOutcome? Outcome { get; init; }

    /// <summary>What went wrong, for errors without an outcome (e.g. a network failure).</summary>
    public string? Error { get; init; }
}
