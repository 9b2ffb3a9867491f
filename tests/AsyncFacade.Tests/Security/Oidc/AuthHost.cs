using System.Net;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Security.Issuer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>A minimal real host with only the auth services, in a chosen environment: start-up rules without the whole facade.</summary>
internal static class AuthHost
{
    /// <summary>Starts and returns the host; throws what start-up threw (an options validation failure).</summary>
    public static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, string environment, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<AsyncFacade.Server.Hosting.PublicBaseUrl>();
        builder.Services.AddSingleton<AsyncFacade.Server.Upstream.UpstreamCapabilityCache>(); // scope checks read the upstream's capabilities
        builder.Services.AddAuth();
        builder.Services.AddAuthIssuer();
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
