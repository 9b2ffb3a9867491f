using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Metadata;

namespace AsyncFacade.Server.Async;

internal static class AsyncExtensions
{
    public static IServiceCollection AddAsync(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<RetryAfterPolicy>();
        services.AddSingleton<PollThrottle>();
        services.AddSingleton<AsyncStatus>();
        services.AddSingleton<RespondAsyncFilter>();
        services.AddSingleton<InteractionResponder>();
        services.AddKeyedTransient<IJobHandler, InteractionJobHandler>(InteractionJobs.Kind);
        services.AddKeyedSingleton<IJobResultResponder>(InteractionJobs.Kind, (sp, _) => sp.GetRequiredService<InteractionResponder>());
        services.AddSingleton<IJobFinishedListener, CallbackOnFinish>();
        services.AddSingleton<ICapabilityContributor, AsyncCapabilities>();
        return services;
    }

    /// <summary>Turns `Prefer: respond-async` requests on the pass-through route into jobs.</summary>
    public static RouteGroupBuilder WithAsyncKickOff(this RouteGroupBuilder passThrough) => passThrough.AddEndpointFilter<RespondAsyncFilter>();
}
