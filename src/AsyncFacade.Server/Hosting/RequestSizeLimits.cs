using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AsyncFacade.Server.Hosting;

/// <summary>
/// Kestrel rejects oversize headers and request lines before any middleware runs, with an empty body. So the limits
/// clients meet are enforced here, at Kestrel's usual values, with an OperationOutcome; Kestrel's own limits are
/// doubled behind them and only catch what no client should send at all.
/// </summary>
internal static class RequestSizeLimits
{
    public const int MaxHeadersBytes = 32 * 1024;
    public const int MaxRequestLineBytes = 8 * 1024;

    public static WebApplicationBuilder AddRequestSizeLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeadersBytes;
            o.Limits.MaxRequestLineSize = 2 * MaxRequestLineBytes;
        });
        return builder;
    }

    public static WebApplication UseRequestSizeLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var target = request.Path.Value!.Length + request.PathBase.Value!.Length + request.QueryString.Value!.Length;
            if (target > MaxRequestLineBytes)
            {
                await FhirResults.WriteErrorAsync(context, StatusCodes.Status414UriTooLong, OperationOutcome.IssueType.TooLong,
                    $"The request URL is {target} bytes; at most {MaxRequestLineBytes} are accepted. Send long searches as POST _search.");
                return;
            }
            var headers = 0L;
            foreach (var (name, values) in request.Headers)
            {
                headers += name.Length + values.Sum(v => v?.Length ?? 0);
            }
            if (headers > MaxHeadersBytes)
            {
                await FhirResults.WriteErrorAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, OperationOutcome.IssueType.TooLong,
                    $"The request headers total {headers} bytes; at most {MaxHeadersBytes} are accepted.");
                return;
            }
            await next(context);
        });
        return app;
    }
}
