using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>
/// The upstream (or its token endpoint) refuses the facade's own credentials: a wrong secret or key, an unknown client,
/// a scope it may not have, or a freshly issued token answered with 401. Permanent until an operator fixes the
/// configuration, so jobs fail with <see cref="Code"/> (`login` or `forbidden`), never `transient`. It is an
/// <see cref="HttpRequestException"/> so that code which guards an upstream call (metadata, kick-off checks) still
/// answers its own error instead of a 500; <see cref="UpstreamClient.IsUnreachable"/> leaves it out.
/// </summary>
public sealed class UpstreamAuthException(OperationOutcome.IssueType code, string message) : HttpRequestException(message)
{
    public OperationOutcome.IssueType Code => code;
}
