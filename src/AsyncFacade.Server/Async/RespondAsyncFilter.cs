using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Sits on the pass-through route: a request with `Prefer: respond-async` becomes a job (202 + Content-Location)
/// instead of being forwarded; anything else continues to the forwarder unchanged.
/// </summary>
internal sealed class RespondAsyncFilter(JobQueue queue, IOutputStore output, PublicBaseUrl publicBase, IOptions<UpstreamOptions> upstream,
    CallbackUrlPolicy callbacks, ILogger<RespondAsyncFilter> logger, Security.FhirAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        if (PreferHeader.FromRequest(httpContext.Request, out var badRequest) is not { } prefer)
        {
            // Only our business when it asks for async; otherwise the upstream judges its own Prefer header.
            var asksForAsync = httpContext.Request.Headers["Prefer"].Any(v => v?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true);
            return asksForAsync ? badRequest : await next(context);
        }
        if (!prefer.RespondAsync)
        {
            return await next(context);
        }
        if (httpContext.Request.Query.ContainsKey("_outputFormat"))
        {
            // Manifest mode belongs to the facade's own $export/$import; a generic interaction has no files to list.
            return FhirResults.Error(StatusCodes.Status400BadRequest, prefer.AsyncMode is null ? OperationOutcome.IssueType.NotSupported : OperationOutcome.IssueType.Invalid,
                prefer.AsyncMode is null
                    ? "_outputFormat (manifest mode) is only available for $export and $import."
                    : $"Prefer: async-mode={prefer.AsyncMode} conflicts with _outputFormat, which asks for a manifest.", "_outputFormat");
        }
        if (prefer.CallbackUrl is not null && await callbacks.CheckAsync(prefer.CallbackUrl, httpContext.RequestAborted) is { } refused)
        {
            // Checked before any job exists: a refused callback must not leave a job behind.
            return FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, "Prefer: callback-url refused: " + refused);
        }
        if (await InteractionBody.CheckAsync(httpContext.Request, httpContext.RequestAborted) is { } badBody)
        {
            return badBody;
        }
        return await KickOffAsync(httpContext, prefer);
    }

    private async Task<IResult> KickOffAsync(HttpContext httpContext, PreferHeader prefer)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        var relativeUrl = request.Path.Value![PublicBaseUrl.FhirPath.Length..].TrimStart('/') + request.QueryString.Value;
        var job = queue.NewJob(InteractionJobs.Kind, JobOwner.Of(httpContext.User), new JobRequest(request.Method, relativeUrl, KeptHeaders(request, prefer))) with
        {
            Mode = prefer.AsyncMode ?? PreferHeader.Bundle,
            BaseUrl = publicBase.FhirBase(request),
            CallbackUrl = prefer.CallbackUrl,
        };

        if (InteractionBody.IsPresent(request))
        {
            // Saved before the job exists in the queue, so the runner never starts without its body.
            await using var writer = await output.CreateAsync(InteractionJobs.RequestBodyKey(job.Id), cancellationToken);
            await request.Body.CopyToAsync(writer.Content, cancellationToken);
            await writer.CommitAsync(cancellationToken);
            job = job with { Request = job.Request with { BodyKey = InteractionJobs.RequestBodyKey(job.Id) } };
        }

        try
        {
            await queue.EnqueueAsync(job, cancellationToken);
        }
        catch (ActiveJobLimitException full)
        {
            return AsyncResults.TooManyJobs(full);
        }
        AsyncLog.KickedOff(logger, job.Id, request.Method, relativeUrl, job.Mode);
        return AsyncResults.Accepted(job, prefer);
    }

    private Dictionary<string, string> KeptHeaders(HttpRequest request, PreferHeader prefer)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in InteractionJobs.ForwardedHeaders)
        {
            // With auth on, the caller's token is the facade's (short-lived, its audience is the facade): it is never kept
            // in a job record. Nor when the facade has an upstream credential of its own (Upstream:Auth), which replaces it.
            if (request.Headers.TryGetValue(name, out var value)
                && (name != "Authorization" || (upstream.Value.ForwardAuthorization && !upstream.Value.HasCredential && !access.Enabled)))
            {
                kept[name] = value.ToString();
            }
        }
        if (prefer.Others.Count > 0)
        {
            // return=…, handling=… still mean something to the upstream; the async tokens do not.
            kept["Prefer"] = string.Join(", ", prefer.Others);
        }
        return kept;
    }
}
