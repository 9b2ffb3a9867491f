using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Maps `/fhir/{rest}` onto the upstream base and rewrites upstream URLs in the answer (Location, Content-Location
/// and JSON bodies) to the facade's public base, so paging through the facade stays on the facade.
/// </summary>
internal sealed class PassThroughTransformer(IOptions<UpstreamOptions> options, PublicBaseUrl publicBase, ILogger<PassThroughTransformer> logger)
    : HttpTransformer
{
    private const string RewriterKey = "AsyncFacade.BaseUrlRewriter";

    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix"];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var request = httpContext.Request;
        var rest = request.Path.Value.AsSpan(PublicBaseUrl.FhirPath.Length).TrimStart('/');
        proxyRequest.RequestUri = new Uri(destinationPrefix + (rest.IsEmpty ? "" : "/" + rest.ToString()) + request.QueryString.Value);

        // The upstream must see itself addressed directly, so the links it builds start with its own base (which
        // the response rewrite maps to ours): no client Host, no client X-Forwarded-* / Forwarded.
        proxyRequest.Headers.Host = null;
        foreach (var header in ForwardingHeaders)
        {
            proxyRequest.Headers.Remove(header);
        }

        // Bodies are rewritten byte by byte, which needs them uncompressed between upstream and facade.
        proxyRequest.Headers.Remove(HeaderNames.AcceptEncoding);

        // A credential of the facade's own replaces the caller's (PassThroughInvoker's credential handler puts it on).
        var upstream = options.Value;
        if (upstream.HasCredential || !upstream.ForwardAuthorization)
        {
            proxyRequest.Headers.Authorization = null;
        }

        httpContext.Items[RewriterKey] = new BaseUrlRewriter(destinationPrefix, publicBase.FhirBase(request));
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null || httpContext.Items[RewriterKey] is not BaseUrlRewriter rewriter)
        {
            return true;
        }

        var headers = httpContext.Response.Headers;
        foreach (var name in (string[])[HeaderNames.Location, HeaderNames.ContentLocation])
        {
            if (headers.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } url)
            {
                headers[name] = rewriter.Rewrite(url);
            }
        }

        if (!FhirMediaTypes.IsJson(proxyResponse.Content.Headers.ContentType?.ToString()) ||
            HttpMethods.IsHead(httpContext.Request.Method))
        {
            return true;
        }

        // The rewritten body may change length: send it chunked.
        httpContext.Response.ContentLength = null;
        try
        {
            await using var body = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken);
            await rewriter.CopyAsync(body, httpContext.Response.Body, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // Headers are gone already, so the only honest signal left is an aborted response (never a truncated 200).
            UpstreamLog.BodyCopyFailed(logger, httpContext.Request.Path, ex);
            httpContext.Abort();
        }
        return false;
    }
}
