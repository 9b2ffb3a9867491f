using AsyncFacade.Server.Security;
using AsyncFacade.Server.Security.Issuer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// A minimal real host with only the auth services and `Auth:*` settings, in a chosen environment: start-up validation
/// without the whole facade. The built-in issuer always; the resource server's token checks (AddAuth) when asked.
/// </summary>
internal static class AuthIssuerHost
{
    /// <summary>Starts and returns the host; throws what start-up threw (an options validation failure).</summary>
    public static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken,
        string? environment = null, bool resourceServer = false)
    {
        var builder = LoopbackHost.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment ?? Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        if (resourceServer)
        {
            builder.Services.AddSingleton<AsyncFacade.Server.Hosting.PublicBaseUrl>();
            builder.Services.AddSingleton<AsyncFacade.Server.Upstream.UpstreamCapabilityCache>(); // scope checks read the upstream's capabilities
            builder.Services.AddAuth();
        }
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
