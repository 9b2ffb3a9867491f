using System.Net;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Security.Issuer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Security;

/// <summary>A minimal real host with only AddAuthIssuer and `Auth:*` settings: start-up validation without the whole facade.</summary>
internal static class AuthIssuerHost
{
    /// <summary>Starts and returns the host; throws what start-up threw (an options validation failure).</summary>
    public static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(settings);
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
