using AsyncFacade.Server.WebConsole.Jobs;

namespace AsyncFacade.Server.WebConsole;

/// <summary>
/// The web console: the launch page at `/` for client developers, the jobs view under `/console/jobs` for operators,
/// and their shared assets under `/console/assets`. Pages call the public protocol and small JSON APIs only.
/// </summary>
internal static class ConsoleExtensions
{
    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleAssets>();
        services.AddJobsConsole();
        return services;
    }

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.MapGet(ConsoleAssets.AssetsPath + "/{**file}", ServeAsset).ExcludeFromDescription();
        app.MapLaunch();
        app.MapRootPage();
        app.MapJobsConsole();
        return app;
    }

    private static IResult ServeAsset(string file, HttpContext httpContext)
    {
        var assets = httpContext.RequestServices.GetRequiredService<ConsoleAssets>();
        // Pages are served by their own endpoints (with the path base filled in), never as raw assets.
        var info = file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? null : assets.Files.GetFileInfo(file);
        if (info is not { Exists: true, IsDirectory: false })
        {
            return Fhir.FhirResults.Error(StatusCodes.Status404NotFound, Hl7.Fhir.Model.OperationOutcome.IssueType.NotFound,
                $"The console has no asset '{file}'.");
        }
        ConsolePage.SetSecurityHeaders(httpContext.Response);
        // Assets change only with the server build; a short cache keeps an upgrade visible within minutes.
        httpContext.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Stream(info.CreateReadStream(), assets.ContentType(file), lastModified: info.LastModified, enableRangeProcessing: false);
    }
}
