using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>An error answered as an OperationOutcome: HTTP status, FHIR issue code and a human diagnostic.</summary>
internal sealed record FhirError(int StatusCode, string IssueCode, string Diagnostics)
{
    /// <summary>OperationOutcome.issue.severity; "information" for the success outcome of Prefer: return=OperationOutcome.</summary>
    public string Severity { get; init; } = "error";

    public static FhirError Invalid(string diagnostics) => new(StatusCodes.Status400BadRequest, "invalid", diagnostics);

    public static FhirError NotSupported(string diagnostics) => new(StatusCodes.Status400BadRequest, "not-supported", diagnostics);

    public static FhirError NotFound(string diagnostics) => new(StatusCodes.Status404NotFound, "not-found", diagnostics);

    public static FhirError Gone(string diagnostics) => new(StatusCodes.Status410Gone, "deleted", diagnostics);

    public static FhirError UnknownType(string type) => new(StatusCodes.Status404NotFound, "not-supported", $"'{type}' is not a FHIR R4 resource type.");

    /// <summary>The reason phrase batch responses put after the code (e.g. "400 Bad Request").</summary>
    public string StatusLine => $"{StatusCode} {ReasonPhrases.GetReasonPhrase(StatusCode)}";
}
