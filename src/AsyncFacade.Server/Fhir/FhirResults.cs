using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Fhir;

internal static class FhirResults
{
    public static FhirResult<TResource> Ok<TResource>(TResource resource) where TResource : Resource =>
        new(resource, StatusCodes.Status200OK);

    public static FhirResult<OperationOutcome> Error(int statusCode, OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        new(Outcomes.Create(code, diagnostics, expression: expression), statusCode);

    /// <summary>An OperationOutcome that informs rather than fails (kick-off accepted, job cancelled).</summary>
    public static FhirResult<OperationOutcome> Information(int statusCode, string diagnostics) =>
        new(Outcomes.Create(OperationOutcome.IssueType.Informational, diagnostics, OperationOutcome.IssueSeverity.Information), statusCode);

    /// <summary>An error a client may retry (429, 503): the OperationOutcome and `Retry-After` in integer seconds.</summary>
    public static IResult RetryLater(int statusCode, OperationOutcome.IssueType code, string diagnostics, int retryAfterSeconds) =>
        new RetryLaterResult(Error(statusCode, code, diagnostics), retryAfterSeconds);

    public static Task WriteErrorAsync(HttpContext httpContext, int statusCode, OperationOutcome.IssueType code, string diagnostics) =>
        Error(statusCode, code, diagnostics).ExecuteAsync(httpContext);

    private sealed class RetryLaterResult(IResult outcome, int retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return outcome.ExecuteAsync(httpContext);
        }
    }
}
