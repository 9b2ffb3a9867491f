using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Why a request is not let through under the token's scopes; written as an OperationOutcome by
/// <see cref="FhirAccess.Refuse"/>, the one place every such answer is made.
/// </summary>
/// <param name="NeededScopes">For a scope problem (403): the scopes that would allow the request, sent in the
/// `WWW-Authenticate: Bearer error="insufficient_scope"` challenge (RFC 6750 §3.1). Null for answers that are not
/// about the token's scopes (a resource outside the compartment is "not found", an upstream that cannot be asked).</param>
internal sealed record ScopeRefusal(int Status, OperationOutcome.IssueType Code, string Diagnostics, string? NeededScopes)
{
    public static ScopeRefusal Forbidden(string diagnostics, string neededScopes) =>
        new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, diagnostics, neededScopes);

    /// <summary>
    /// A resource the restriction does not cover answers as one that does not exist: a 403 would tell a patient-scoped
    /// client that another patient's Observation/123 exists.
    /// </summary>
    public static ScopeRefusal NotFound(string type, string id) =>
        new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{type}/{id} is not known.", null);

    public static ScopeRefusal Invalid(string diagnostics) =>
        new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, diagnostics, null);

    public static ScopeRefusal TooLarge(string diagnostics) =>
        new(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong, diagnostics, null);

    /// <summary>The upstream could not answer what the check needs to know: the request is neither allowed nor refused for good.</summary>
    public static ScopeRefusal Unavailable(string diagnostics) =>
        new(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, diagnostics, null);
}
