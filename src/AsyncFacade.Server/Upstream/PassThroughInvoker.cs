using System.Diagnostics;
using System.Net;
using AsyncFacade.Server.Upstream.Credentials;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// The pass-through's own connection pool. An <see cref="HttpMessageInvoker"/>, not HttpClient: no response
/// buffering, no redirects followed, no decompression, no cookies — the client sees what the upstream sent (YARP's advice).
/// The facade's upstream credential goes on through <see cref="UpstreamCredentialHandler"/>; a 401 is renewed and resent
/// only for a request without a body (the caller's body stream has been sent and cannot be read again).
/// </summary>
internal sealed class PassThroughInvoker(IOptions<UpstreamOptions> options, UpstreamTokenSource tokens, ILogger<UpstreamCredentialHandler> logger)
    : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new UpstreamCredentialHandler(tokens, logger)
    {
        ResendBodies = false,
        InnerHandler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
        },
    });

    public void Dispose() => Invoker.Dispose();
}
