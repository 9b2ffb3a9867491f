using System.Globalization;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Simulation;

/// <summary>How a simulating job's status answers differ from the real ones (the job itself runs as any other).</summary>
internal static class SimulatedStatus
{
    /// <summary>The job as its status should show it now: still running within its duration, expired after `expire`.</summary>
    /// <returns>Null when the simulated expiry has passed (the job reads as gone).</returns>
    public static JobRecord? AsSeen(JobRecord job, SimulatedBehaviour behaviour, DateTimeOffset now)
    {
        var doneAt = behaviour.VisiblyDoneAt(job);
        if (job.State.IsTerminal() && now < doneAt)
        {
            return job with { State = JobState.Running, Progress = Progress(job, behaviour, now) };
        }
        if (behaviour.ExpireSeconds is { } seconds && job.State.IsTerminal())
        {
            var expires = doneAt.AddSeconds(seconds);
            return now >= expires ? null : job with { ExpiresAt = expires };
        }
        return job;
    }

    /// <summary>Even progress over the simulated duration.</summary>
    public static string Progress(JobRecord job, SimulatedBehaviour behaviour, DateTimeOffset now)
    {
        var total = behaviour.DurationSeconds ?? 1;
        var elapsed = Math.Clamp((now - job.CreatedAt).TotalSeconds, 0, total);
        return string.Create(CultureInfo.InvariantCulture, $"simulated: {(int)(100 * elapsed / total)}% ({(int)elapsed} of {total} s)");
    }

    /// <summary>The in-progress answer shaped as asked: no Retry-After, Retry-After as a date, or a misleading 200.</summary>
    public static IResult InProgress(SimulatedBehaviour behaviour, int retryAfterSeconds, string progress, IResult? partial, DateTimeOffset now)
    {
        var retryAfter = behaviour.NoRetryAfter ? null
            : behaviour.RetryAfterDate ? now.AddSeconds(retryAfterSeconds).ToString("R", CultureInfo.InvariantCulture)
            : retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var body = behaviour.InProgress200 ? FhirResults.Information(StatusCodes.Status200OK, $"in-progress: {progress}") : partial;
        return AsyncResults.InProgress(retryAfter, progress, body);
    }

    /// <summary>`require-token`: a file download without a bearer token is refused as a protected server would (any token will do).</summary>
    public static IResult? MissingToken(JobRecord job, HttpRequest request)
    {
        if (SimulatedBehaviour.Of(job)?.RequireToken != true
            || (request.Headers.Authorization.ToString() is var authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && authorization.Length > "Bearer ".Length))
        {
            return null;
        }
        return AsyncResults.WithHeaders(FhirResults.Error(StatusCodes.Status401Unauthorized, Hl7.Fhir.Model.OperationOutcome.IssueType.Login,
            $"This file needs a bearer token ({SimulatedBehaviour.Header}: require-token; the manifest says requiresAccessToken: true)."),
            headers => headers.WWWAuthenticate = "Bearer");
    }
}
