using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// The pass-through's own connection pool. An <see cref="HttpMessageInvoker"/>, not HttpClient: no response
/// buffering, no redirects followed, no decompression, no cookies — the client sees what the upstream sent (YARP's advice).
/// </summary>
internal sealed class PassThroughInvoker(IOptions<UpstreamOptions> options) : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
    });

    public void Dispose() => Invoker.Dispose();
}
