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

    internal static FhirAsyncException From(Uri url, JobStatus status, FailureKind kind)
    {
        var what = status.Error ?? $"{url} answered {(int?)status.StatusCode}: {StatusReader.Describe(status.Outcome)}";
        return new(kind, what, status.StatusCode, status.Outcome);
    }

    internal static FhirAsyncException FromKickOff(AsyncRequest request, HttpResponseMessage response, JobStatus status, bool retryable)
    {
        var kind = retryable ? FailureKind.Transient : FailureKind.Terminal;
        var detail = status.Outcome is { } outcome ? StatusReader.Describe(outcome) : response.ReasonPhrase;
        var message = response.StatusCode == HttpStatusCode.Accepted
            ? $"{request.Method} {request.Url} answered 202 Accepted without a Content-Location status URL."
            : response.IsSuccessStatusCode
            ? $"{request.Method} {request.Url} answered {(int)response.StatusCode} instead of 202 Accepted: the server ran it synchronously or ignored Prefer: respond-async."
            : $"{request.Method} {request.Url} kick-off answered {(int)response.StatusCode}: {detail}";
        return new(kind, message, response.StatusCode, status.Outcome);
    }
}
