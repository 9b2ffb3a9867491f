using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Simulation;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.WebConsole;

/// <summary>The page at `/`: what this server is and where to go next.</summary>
internal static class LandingEndpoints
{
    /// <summary>The short landing page, linking to metadata, Swagger, health and the jobs view.</summary>
    public const string LandingPage = "landing.html";

    public static IEndpointRouteBuilder MapRootPage(this IEndpointRouteBuilder app)
    {
        // Chosen once: the options it depends on are fixed at start.
        var page = RootPage(app.ServiceProvider);
        app.MapGet("/", Task<IResult> (HttpContext httpContext) => ConsolePage.RenderAsync(httpContext, page))
            .WithName("RootPage").ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The name of the page served at `/`. Issue 18: the launch page for client developers when the server is a
    /// reference server (<see cref="WantsLaunchPage"/>), else the landing page.
    /// </summary>
    public static string RootPage(IServiceProvider services) => WantsLaunchPage(services) ? LaunchEndpoints.LaunchPage : LandingPage;

    /// <summary>True when Simulation:Enabled or Auth:Issuer:Enabled: the server is there for client developers to test against.</summary>
    public static bool WantsLaunchPage(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SimulationOptions>>().Value.Enabled ||
        services.GetRequiredService<IOptions<AuthIssuerOptions>>().Value.Enabled;
}
