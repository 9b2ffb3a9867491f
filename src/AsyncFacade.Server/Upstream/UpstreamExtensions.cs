using System.Net;
using System.Threading.RateLimiting;
using AsyncFacade.SampleUpstream;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AsyncFacade.Server.Upstream;

internal static class UpstreamExtensions
{
    public static IServiceCollection AddUpstream(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<UpstreamOptions, UpstreamOptionsValidator>().BindConfiguration(UpstreamOptions.Section);
        services.AddSampleUpstream();
        services.AddSingleton<UpstreamEndpoint>();

        services.AddTransient<UpstreamCredentialHandler>();
        services.AddHttpClient<UpstreamClient>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<UpstreamOptions>>().Value.ConnectTimeoutSeconds),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<UpstreamCredentialHandler>()
            .AddResilienceHandler("upstream", ConfigureResilience);

        services.AddHttpClient(UpstreamHealthCheck.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .AddHttpMessageHandler<UpstreamCredentialHandler>();

        services.AddHttpForwarder();
        services.AddSingleton<PassThroughInvoker>();
        services.AddSingleton<PassThroughTransformer>();
        return services;
    }

    /// <summary>Maps the embedded sample upstream when no real one is configured.</summary>
    public static WebApplication MapEmbeddedUpstream(this WebApplication app)
    {
        if (app.Services.GetRequiredService<UpstreamEndpoint>().IsEmbedded)
        {
            app.MapSampleUpstream();
        }
        return app;
    }

    // Order matters: the limiter bounds calls in flight, the retry wraps each attempt and its timeout.
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
        var attempt = TimeSpan.FromSeconds(options.TimeoutSeconds);

        pipeline.AddConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrency, QueueLimit = int.MaxValue });
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(60),
                ShouldRetryAfterHeader = true, // 429/503 Retry-After (seconds or HTTP date) beats our own back-off
                OnRetry = context.ServiceProvider.GetRequiredService<Telemetry.FacadeMetrics>().OnUpstreamRetry, // asyncfacade.upstream.retries
            };
            // A POST (create, transaction, operation) may have been applied before the failure: never replay it blindly.
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        pipeline.AddTimeout(attempt);
    }
}
