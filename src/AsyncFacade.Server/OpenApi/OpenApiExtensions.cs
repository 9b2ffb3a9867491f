using Microsoft.OpenApi;

namespace AsyncFacade.Server.OpenApi;

/// <summary>Swashbuckle document at /swagger/v1/swagger.json (committed as openapi/openapi.json) and the UI at /swagger.</summary>
internal static class OpenApiExtensions
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddFacadeOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o => o.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "AsyncFacade",
            Version = "v1",
            Description = "An asynchronous front for a synchronous FHIR R4 server: `Prefer: respond-async`, Bulk Data `$export`/`$import`, " +
                          "status polling, cancel and callbacks. Requests without `Prefer: respond-async` pass through to the upstream.",
        }));
        return services;
    }

    public static WebApplication MapFacadeOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        // Relative to /swagger/index.html (not DocumentPath): the UI then finds the document behind a proxy prefix too.
        app.UseSwaggerUI(o => o.SwaggerEndpoint("v1/swagger.json", "AsyncFacade v1"));
        return app;
    }
}
