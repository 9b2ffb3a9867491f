using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Browser;

/// <summary>
/// A real reverse proxy (YARP's forwarder on its own loopback port) that publishes the facade under a path prefix, as
/// an ingress would: /prefix/… reaches the facade as /… with X-Forwarded-Prefix, -Host and -Proto; answers (redirects
/// included) go back untouched. Anything outside the prefix answers 404, so a link or asset that ignores the path base
/// shows up as a failed load.
/// </summary>
public sealed class PrefixProxy : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpMessageInvoker invoker = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, UseCookies = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None,
    });

    private PrefixProxy(WebApplication app) => this.app = app;

    /// <summary>The facade as the browser sees it, e.g. http://127.0.0.1:41234/facade/.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<PrefixProxy> StartAsync(Uri facade, string prefix)
    {
        if (!prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Length < 2)
        {
            throw new ArgumentException($"A prefix such as \"/facade\", not \"{prefix}\".", nameof(prefix));
        }
        var builder = LoopbackHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var proxy = new PrefixProxy(builder.Build());
        var destination = facade.GetLeftPart(UriPartial.Authority) + "/";
        proxy.app.Map(prefix, inside => inside.Run(async context =>
        {
            // Map moved the prefix into PathBase: the forwarder sends only the rest of the path.
            var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
            var error = await forwarder.SendAsync(context, destination, proxy.invoker, ForwarderRequestConfig.Empty, ForwardedPrefix.Instance);
            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        }));
        proxy.app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"This proxy serves the facade under {prefix}/ only.");
        });
        await proxy.app.StartAsync();
        proxy.Address = new Uri(LoopbackHost.BaseUrl(proxy.app) + prefix + "/");
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        invoker.Dispose();
    }

    private sealed class ForwardedPrefix : HttpTransformer
    {
        public static readonly ForwardedPrefix Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            // This proxy is the only hop: whatever the browser sent in these headers is replaced, not appended to.
            Forward(proxyRequest, "X-Forwarded-Prefix", httpContext.Request.PathBase.Value);
            Forward(proxyRequest, "X-Forwarded-Host", httpContext.Request.Host.Value);
            Forward(proxyRequest, "X-Forwarded-Proto", httpContext.Request.Scheme);
        }

        private static void Forward(HttpRequestMessage proxyRequest, string header, string? value)
        {
            proxyRequest.Headers.Remove(header);
            proxyRequest.Headers.TryAddWithoutValidation(header, value);
        }
    }
}
