using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;

namespace AsyncFacade.Server.Async;

/// <summary>The status URL of every async job: poll (with long polling), cancel/delete, and the redirect-mode result.</summary>
internal static class AsyncEndpoints
{
    public static RouteGroupBuilder MapAsync(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(PublicBaseUrl.FhirPath).WithTags("Async");
        fhir.MapGet("/_async/{id}", (string id, HttpContext httpContext, AsyncStatus status) => status.PollAsync(id, httpContext))
            .WithName("AsyncStatus")
            .WithSummary("Status of an async job: 202 + Retry-After + X-Progress while running; then 200 (Bundle or manifest) or 303 to the result")
            .WithDescription("`Prefer: wait=N` holds the request until the job finishes, then answers at once with its result (200 or 303; 404 if it " +
                "was cancelled meanwhile), or until N seconds (capped by Async:MaxWaitSeconds) pass, then answers 202 with the current " +
                "X-Progress and Retry-After. Progress alone (the job starting, planning, finishing parts) does not end the wait.")
            .Produces(StatusCodes.Status202Accepted).Produces(StatusCodes.Status200OK, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status303SeeOther).Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status429TooManyRequests, contentType: FhirMediaTypes.Json);
        fhir.MapGet("/$export-poll-status", ([AsParameters] PollStatusQuery query, HttpContext httpContext, AsyncStatus status) =>
                string.IsNullOrEmpty(query.JobId)
                    ? Task.FromResult<IResult>(FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "_jobId is required.", "_jobId"))
                    : status.PollAsync(query.JobId, httpContext))
            .WithName("ExportPollStatus")
            .WithSummary("Alias of the status URL: GET $export-poll-status?_jobId={id}");
        fhir.MapDelete("/_async/{id}", (string id, HttpContext httpContext, AsyncStatus status) => status.CancelAsync(id, httpContext))
            .WithName("AsyncCancel")
            .WithSummary("Cancels a running job, or deletes a finished job and its results; 202, then the status URL answers 404")
            .Produces(StatusCodes.Status202Accepted, contentType: FhirMediaTypes.Json).Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);
        fhir.MapGet("/_async/{id}/result", (string id, HttpContext httpContext, AsyncStatus status) => status.ResultAsync(id, httpContext))
            .WithName("AsyncResult")
            .WithSummary("Redirect-mode result: replays the status, headers and body the synchronous interaction gave")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);

        // Claim the other methods so they are not forwarded upstream as if `_async` (or `$export-poll-status`) were the upstream's.
        fhir.MapOtherMethods("/_async/{id}", HttpMethods.Get, HttpMethods.Delete);
        fhir.MapOtherMethods("/_async/{id}/result", HttpMethods.Get);
        fhir.MapOtherMethods("/$export-poll-status", HttpMethods.Get);
        // Everything else under _async is ours too and names nothing: not a resource type to forward or to kick off.
        // (The catch-all also matches an empty rest, so this covers /_async/{id}/{anything}.)
        fhir.Map("/_async", NothingThere).ExcludeFromDescription();
        fhir.Map("/_async/{id}/{sub}/{**rest}", NothingThere).ExcludeFromDescription();
        return fhir;
    }

    private static IResult NothingThere(HttpRequest request) => FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
        $"Nothing is at {request.Path}: a job has /fhir/_async/{{id}}, its /result and its /files/{{name}}.");

    private sealed record PollStatusQuery([FromQuery(Name = "_jobId")] string? JobId);
}
