using AsyncFacade.Server.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Callbacks;

internal static class CallbacksExtensions
{
    /// <summary>
    /// Job-completion callbacks (callback extension of the unified async pattern): `Callbacks` options validated at
    /// start, the kick-off <see cref="CallbackUrlPolicy"/>, the <see cref="CallbackNotifier"/> queue and its dispatcher.
    /// </summary>
    public static IServiceCollection AddCallbacks(this IServiceCollection services)
    {
        // Tests register the feature on hosts that may already have it; a second dispatcher would only compete for the queue.
        if (services.Any(d => d.ServiceType == typeof(CallbackNotifier)))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<CallbackOptions, CallbackOptionsValidator>().BindConfiguration(CallbackOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        // Keyed: Import has an allow-list of its own.
        services.AddKeyedSingleton(CallbackOptions.Section, (sp, _) => new AllowedHostList(sp.GetRequiredService<IOptions<CallbackOptions>>().Value.AllowedHosts));
        services.AddSingleton<CallbackUrlPolicy>();
        services.AddSingleton<CallbackNotifier>();
        services.AddHostedService<CallbackDispatcher>();

        // Each POST gets its own deadline from Callbacks:TimeoutSeconds (see CallbackDispatcher), so no client timeout.
        services.AddHttpClient(CallbackDispatcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A redirect would take the POST to a host the policy never saw; a proxy would connect instead of us,
                // bypassing the address check; cookies have no place in a signed signal.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                // Listed hosts are trusted as they are (wildcards too); with no list, public hosts only.
                ConnectCallback = new GuardedConnector(sp.GetRequiredKeyedService<AllowedHostList>(CallbackOptions.Section),
                    publicWhenEmpty: true, wildcardsNeedPublic: false).ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            // The factory's default handlers log the full URL, which may carry the client's token; CallbacksLog logs the host.
            .RemoveAllLoggers();
        return services;
    }
}
