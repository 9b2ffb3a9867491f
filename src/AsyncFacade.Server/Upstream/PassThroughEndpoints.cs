using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Upstream.Credentials;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace AsyncFacade.Server.Upstream;

internal static class PassThroughEndpoints
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static RouteGroupBuilder MapPassThrough(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(PublicBaseUrl.FhirPath).WithTags("Pass-through");
        // Lowest precedence: the facade's own routes (_async, $export, metadata…) are more specific and win.
        fhir.MapMethods("/{**path}", Methods, ForwardAsync)
            .WithSummary("Forwards any FHIR request without Prefer: respond-async to the upstream and streams its answer back")
            .WithDescription("Upstream URLs in Location, Content-Location and JSON bodies are rewritten to the facade's base.");
        return fhir;
    }

    private static async Task ForwardAsync(HttpContext httpContext, string? path, IHttpForwarder forwarder, PassThroughInvoker invoker,
        UpstreamEndpoint upstream, PassThroughTransformer transformer, IOptions<UpstreamOptions> options, ILogger<PassThroughTransformer> logger)
    {
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) };
        var error = await forwarder.SendAsync(httpContext, upstream.BaseUrl, invoker.Invoker, config, transformer);
        if (error == ForwarderError.None)
        {
            return;
        }

        var request = httpContext.Request;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            UpstreamLog.ClientCancelled(logger, request.Method, request.Path, error);
            return;
        }

        UpstreamLog.ForwardFailed(logger, request.Method, request.Path, error, httpContext.GetForwarderErrorFeature()?.Exception);
        if (httpContext.Response.HasStarted)
        {
            return;
        }

        // YARP has chosen the status (502 unreachable, 504 timed out, 400 bad client body); we add the outcome.
        var status = httpContext.Response.StatusCode;
        if (httpContext.GetForwarderErrorFeature()?.Exception is UpstreamAuthException refused)
        {
            // Our credentials, not the caller's, are refused: a gateway failure, with the reason and a terminal code.
            await FhirResults.WriteErrorAsync(httpContext, StatusCodes.Status502BadGateway, refused.Code, refused.Message);
            return;
        }
        var (code, text) = status switch
        {
            StatusCodes.Status504GatewayTimeout => (OperationOutcome.IssueType.Timeout, $"The upstream FHIR server did not answer within {options.Value.TimeoutSeconds} s."),
            >= 500 => (OperationOutcome.IssueType.Transient, "The upstream FHIR server could not be reached. Try again later."),
            _ => (Outcomes.CodeFor(status), $"The request could not be forwarded ({error})."),
        };
        await FhirResults.WriteErrorAsync(httpContext, status, code, text);
    }
}
