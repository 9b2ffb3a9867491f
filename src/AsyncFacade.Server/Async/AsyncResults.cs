using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Async;

/// <summary>The async protocol's answers: kick-off 202, in-progress 202, throttled 429, gone 404.</summary>
internal static class AsyncResults
{
    public static string StatusUrl(JobRecord job) => $"{job.BaseUrl}/_async/{job.Id}";

    public static string ResultUrl(JobRecord job) => $"{StatusUrl(job)}/result";

    public static IResult Accepted(JobRecord job, PreferHeader prefer) => new Headed(
        FhirResults.Information(StatusCodes.Status202Accepted, $"Accepted. Poll {StatusUrl(job)} for the result."),
        headers =>
        {
            headers.ContentLocation = StatusUrl(job);
            headers["Preference-Applied"] = string.Join(", ", Applied(prefer));
        });

    /// <param name="partial">A 202 with part of the result (see <see cref="IJobPartialResult"/>), or null for an empty 202.</param>
    public static IResult InProgress(int retryAfterSeconds, string progress, IResult? partial = null) =>
        InProgress(retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), progress, partial);

    /// <param name="retryAfter">The Retry-After header as sent (seconds or an HTTP date), or null for none.</param>
    public static IResult InProgress(string? retryAfter, string progress, IResult? body) =>
        new Headed(body ?? Results.StatusCode(StatusCodes.Status202Accepted), headers =>
    {
        if (retryAfter is not null)
        {
            headers.RetryAfter = retryAfter;
        }
        headers["X-Progress"] = progress;
    });

    public static IResult Throttled(int retryAfterSeconds) => FhirResults.RetryLater(StatusCodes.Status429TooManyRequests, OperationOutcome.IssueType.Throttled,
        $"Polling too often: wait at least the Retry-After interval ({retryAfterSeconds} s) between status requests.", retryAfterSeconds);

    /// <summary>A kick-off refused by Async:MaxActiveJobsPerOwner: no job was created.</summary>
    public static IResult TooManyJobs(ActiveJobLimitException refused) => FhirResults.RetryLater(StatusCodes.Status429TooManyRequests, OperationOutcome.IssueType.Throttled,
        $"This client already has {refused.Limit} queued or running jobs, the most this server runs for one client. " +
        "Wait for one to finish, or cancel one (DELETE its status URL), then kick off again.", refused.RetryAfterSeconds);

    public static IResult NotFound(string id) => FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
        $"No job '{id}': it never existed, was cancelled or deleted, or its results expired.");

    /// <summary>Adds `Expires` (results are deleted then) to a terminal answer.</summary>
    public static IResult Expiring(IResult result, JobRecord job) =>
        job.ExpiresAt is { } expires ? new Headed(result, headers => headers.Expires = expires.ToString("R")) : result;

    private static IEnumerable<string> Applied(PreferHeader prefer)
    {
        yield return "respond-async";
        if (prefer.AsyncMode is not null)
        {
            yield return "async-mode=" + prefer.AsyncMode;
        }
        if (prefer.CallbackUrl is not null)
        {
            yield return $"callback-url=\"{prefer.CallbackUrl}\"";
        }
    }

    /// <summary>Any result with response headers set just before it runs.</summary>
    /// <summary>Any answer with headers set before it is written.</summary>
    public static IResult WithHeaders(IResult result, Action<IHeaderDictionary> setHeaders) => new Headed(result, setHeaders);

    private sealed class Headed(IResult inner, Action<IHeaderDictionary> setHeaders) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            setHeaders(httpContext.Response.Headers);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
