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

    public static Task WriteErrorAsync(HttpContext httpContext, int statusCode, OperationOutcome.IssueType code, string diagnostics) =>
        Error(statusCode, code, diagnostics).ExecuteAsync(httpContext);
}
