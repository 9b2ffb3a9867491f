namespace AsyncFacade.Server.Simulation;

internal static class SimulationExtensions
{
    public static IServiceCollection AddSimulation(this IServiceCollection services)
    {
        services.AddOptions<SimulationOptions>().BindConfiguration(SimulationOptions.Section);
        services.AddHttpContextAccessor();
        services.AddSingleton<SimulatedPolls>();
        services.AddSingleton<Metadata.ICapabilityContributor, SimulationCapabilities>();
        return services;
    }

    /// <summary>Before routing: a `/sim/…` path is rewritten to the `/fhir/…` endpoint it stands for.</summary>
    public static WebApplication UseSimulation(this WebApplication app)
    {
        app.UseMiddleware<SimulationMiddleware>();
        return app;
    }
}
