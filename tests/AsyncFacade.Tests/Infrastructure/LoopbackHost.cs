using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// The test-side HTTP servers (upstreams, callback receivers, file hosts, proxies): real Kestrel on loopback port 0,
/// so parallel tests never fight over a port and nothing listens beyond this machine.
/// </summary>
public static class LoopbackHost
{
    public static WebApplicationBuilder CreateBuilder(WebApplicationOptions? options = null)
    {
        var builder = options is null ? WebApplication.CreateSlimBuilder() : WebApplication.CreateSlimBuilder(options);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    /// <summary>Where a started host listens, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
}
