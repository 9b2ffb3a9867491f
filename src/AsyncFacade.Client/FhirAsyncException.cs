using System.Net;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>An async request or job that ended without a result, with the server's OperationOutcome when it sent one.</summary>
public sealed class FhirAsyncException(FailureKind kind, string message, HttpStatusCode? statusCode = null, OperationOutcome? outcome = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind => kind;

    public HttpStatusCode? StatusCode => statusCode;

    public OperationOutcome? Outcome => outcome;

    public bool IsTransient => kind == FailureKind.Transient;
}
