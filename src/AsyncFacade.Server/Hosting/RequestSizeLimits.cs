using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AsyncFacade.Server.Hosting;

/// <summary>
/// Kestrel rejects oversize headers and request lines before any middleware runs, with an empty body. So the limits
/// clients meet are enforced here, at Kestrel's usual values, with an OperationOutcome; Kestrel's own limits sit far
/// behind them (<see cref="KestrelLimitBytes"/>) and only catch what no client should send at all.
/// </summary>
internal static class RequestSizeLimits
{
    public const int MaxHeadersBytes = 32 * 1024;
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>
    /// Big enough that a hostile but plausible request (a 100 KB parameter, 10,000 `_type` entries) still reaches the
    /// checks here and gets its OperationOutcome; Kestrel buffers a request line or header block only as far as the
    /// client really sends it, so this costs nothing for ordinary requests.
    /// </summary>
    public const int KestrelLimitBytes = 128 * 1024;

    public static WebApplicationBuilder AddRequestSizeLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestHeadersTotalSize = KestrelLimitBytes;
            o.Limits.MaxRequestLineSize = KestrelLimitBytes;
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
