using System.Net;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Metadata;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

internal static class ImportExtensions
{
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ImportOptions, ImportOptionsValidator>().BindConfiguration(ImportOptions.Section);
        // Keyed: Callbacks has an allow-list of its own.
        services.AddKeyedSingleton(ImportOptions.Section, (sp, _) => new AllowedHostList(sp.GetRequiredService<IOptions<ImportOptions>>().Value.AllowedHosts));
        services.AddSingleton<ImportSourcePolicy>();
        services.AddSingleton<ImportKickOff>();
        services.AddSingleton<ImportFetcher>();
        services.AddTransient<ImportBatchWriter>();
        services.AddTransient<ImportVerifier>();
        services.AddTransient<InputImport>();
        services.AddKeyedTransient<IJobHandler, ImportJobHandler>(ImportJobs.Kind);
        services.AddKeyedSingleton<IJobResultResponder, ImportManifestResponder>(ImportJobs.Kind);
        services.AddSingleton<ICapabilityContributor, ImportCapabilities>();

        // Each GET has its own deadline for the headers (Import:FetchTimeoutSeconds); the body streams as long as the import runs.
        services.AddHttpClient(ImportFetcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Redirects are followed by ImportFetcher, which checks each target; a proxy would connect instead of us,
                // bypassing the address check; cookies have no place here.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                // Only listed hosts; one matched by a wildcard must resolve to public addresses, checked on every connect.
                ConnectCallback = new GuardedConnector(sp.GetRequiredKeyedService<AllowedHostList>(ImportOptions.Section),
                    publicWhenEmpty: false, wildcardsNeedPublic: true).ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The factory's default handlers log full URLs, and pre-signed URLs carry their credentials in the query.
            .RemoveAllLoggers();
        return services;
    }
}
