using System.Net;
using System.Threading.RateLimiting;
using AsyncFacade.SampleUpstream;
using AsyncFacade.Server.Upstream.Credentials;
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
        services.AddSingleton<UpstreamCapabilityCache>();

        services.AddSingleton<UpstreamTokenSource>();
        services.AddTransient<UpstreamCredentialHandler>();
        services.AddTransient<Simulation.SimulatedFaultsHandler>();
        // Token and discovery requests: no credential of ours on them, no redirects (a Basic header must not follow one).
        services.AddHttpClient(UpstreamTokenSource.ClientName, (sp, c) =>
                c.Timeout = TimeSpan.FromSeconds(Math.Min(30, sp.GetRequiredService<IOptions<UpstreamOptions>>().Value.TimeoutSeconds)))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        var jobClient = services.AddHttpClient<UpstreamClient>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<UpstreamOptions>>().Value.ConnectTimeoutSeconds),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<Simulation.SimulatedFaultsHandler>();
        jobClient.AddResilienceHandler("upstream", ConfigureResilience);
        // Inside the retries: every attempt carries a current token, and a 401 is renewed and resent within its attempt.
        jobClient.AddHttpMessageHandler<UpstreamCredentialHandler>();

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

    private static readonly ResiliencePropertyKey<RetryBudget> Budget = new("asyncfacade.retry-budget");
    private static readonly ResiliencePropertyKey<TimeSpan> NextWait = new("asyncfacade.retry-wait");

    private static RetryBudget BudgetOf(ResilienceContext context, UpstreamOptions options)
    {
        if (!context.Properties.TryGetValue(Budget, out var budget))
        {
            budget = new RetryBudget(options);
            context.Properties.Set(Budget, budget);
        }
        return budget;
    }

    // Order matters: the limiter bounds calls in flight, the retry wraps each attempt and its timeout.
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
        var attempt = TimeSpan.FromSeconds(options.TimeoutSeconds);

        pipeline.AddConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrency, QueueLimit = int.MaxValue });
        if (options.MaxRetries > 0)
        {
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = options.MaxRetries };
            var transient = retry.ShouldHandle; // 429, 5xx (but 501), timeouts and network failures
            // One budget per call: each retry's wait (Retry-After, seconds or HTTP date, else back-off) must fit in it.
            retry.ShouldHandle = async args =>
            {
                // Refused credentials stay refused: retrying would only ask the token endpoint again.
                if (args.Outcome.Exception is UpstreamAuthException || !await transient(args) || BudgetOf(args.Context, options).Next(args.Outcome.Result, time) is not { } wait)
                {
                    return false;
                }
                args.Context.Properties.Set(NextWait, wait);
                return true;
            };
            retry.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(NextWait, TimeSpan.Zero));
            retry.OnRetry = context.ServiceProvider.GetRequiredService<Telemetry.FacadeMetrics>().OnUpstreamRetry; // asyncfacade.upstream.retries
            // A POST (create, transaction, operation) may have been applied before the failure: never replay it blindly.
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        pipeline.AddTimeout(attempt);
    }
}
