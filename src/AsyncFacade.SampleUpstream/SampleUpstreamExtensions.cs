using AsyncFacade.SampleUpstream.Faults;
using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Http;
using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream;

public static class SampleUpstreamExtensions
{
    /// <summary>Registers the sample upstream; options come from the "SampleUpstream" section and are validated at start.</summary>
    public static IServiceCollection AddSampleUpstream(this IServiceCollection services)
    {
        // The profile's presets first, then the bound section: a quirk set explicitly wins over its profile.
        services.AddOptions<SampleUpstreamOptions>().Configure<IConfiguration>((options, configuration) =>
            Profiles.UpstreamProfiles.Apply(configuration[$"{SampleUpstreamOptions.Section}:{nameof(SampleUpstreamOptions.Profile)}"], options));
        services.AddOptionsWithValidateOnStart<SampleUpstreamOptions, SampleUpstreamOptionsValidator>()
            .BindConfiguration(SampleUpstreamOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SampleUpstreamOptions>>().Value;
            return new SampleDataSet(options.Patients, options.Seed, options.Paging.LastUpdatedBurst);
        });
        services.TryAddSingleton<ResourceStore>();
        services.TryAddSingleton<PageCollector>();
        services.TryAddSingleton<SystemHistoryCollector>();
        services.TryAddSingleton<CursorCodec>();
        services.TryAddSingleton<PageCache>();
        services.TryAddSingleton<SearchPaging>();
        services.TryAddSingleton<SearchService>();
        services.TryAddSingleton<CapabilityStatementDocument>();
        services.TryAddSingleton<ResourceValidator>();
        services.TryAddSingleton<BundleEntryParser>();
        services.TryAddSingleton<BatchProcessor>();
        services.TryAddSingleton<FaultInjection>();
        services.TryAddSingleton<Auth.SampleTokenIssuer>();
        services.TryAddSingleton<Auth.ClientAssertionCheck>();
        services.TryAddSingleton<Auth.BearerTokenFilter>();
        return services;
    }

    /// <summary>Maps the synchronous FHIR API at <see cref="SampleUpstreamOptions.BasePath"/>, hidden from OpenAPI.</summary>
    public static RouteGroupBuilder MapSampleUpstream(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<SampleUpstreamOptions>>().Value;
        var group = app.MapGroup(options.BasePath).ExcludeFromDescription();
        group.AddEndpointFilter(app.ServiceProvider.GetRequiredService<FaultInjection>());
        if (options.LatencyMilliseconds > 0)
        {
            group.AddEndpointFilter(async (context, next) =>
            {
                await Task.Delay(options.LatencyMilliseconds, context.HttpContext.RequestAborted);
                return await next(context);
            });
        }
        if (options.Auth.Required)
        {
            group.AddEndpointFilter(app.ServiceProvider.GetRequiredService<Auth.BearerTokenFilter>());
            Auth.SampleAuthEndpoints.Map(app, options.BasePath);
        }
        SampleUpstreamEndpoints.Map(group);
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SampleUpstreamExtensions));
        SampleUpstreamLog.Started(logger, options.Patients, options.Seed, options.BasePath);
        return group;
    }
}
