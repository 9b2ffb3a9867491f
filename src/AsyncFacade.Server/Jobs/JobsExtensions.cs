using AsyncFacade.Server.Async;
using AsyncFacade.Server.Hosting;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncFacade.Server.Jobs;

internal static class JobsExtensions
{
    public const string DashboardPath = "/hangfire";

    /// <summary>
    /// In-memory job records and Hangfire.InMemory by default; with ConnectionStrings:Postgres both move to PostgreSQL
    /// (jobs in schema `asyncfacade`, Hangfire in `hangfire`) so several instances share work and survive restarts.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<JobsOptions, JobsOptionsValidator>().BindConfiguration(JobsOptions.Section);
        services.AddOptionsWithValidateOnStart<AsyncOptions, AsyncOptionsValidator>().BindConfiguration(AsyncOptions.Section);
        services.AddSingleton(TimeProvider.System);

        var postgres = builder.Configuration.GetConnectionString("Postgres");
        if (string.IsNullOrEmpty(postgres))
        {
            services.AddSingleton<IJobStore, InMemoryJobStore>();
            services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions()));
        }
        else
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(postgres));
            services.AddSingleton<IJobStore, PostgresJobStore>();
            // Registered before Hangfire's server so the schema exists before any worker runs.
            services.AddHostedService<PostgresJobSchema>();
            services.AddHostedService<PostgresJobListener>();
            services.AddSingleton<JobStorage>(sp => CreatePostgresStorage(postgres, sp.GetRequiredService<IOptions<JobsOptions>>().Value));
            services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        }

        // Our own JobStorage and JobActivator registrations win over Hangfire's defaults, which read the static
        // JobStorage.Current / JobActivator.Current: with two hosts in one process (tests, benchmarks) starting
        // together, one host's workers would otherwise resolve jobs from the other host's container.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostSafeLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        var role = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        if (role.RunsJobs)
        {
            services.AddHangfireServer((sp, o) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                o.WorkerCount = jobs.WorkerCount;
                o.CancellationCheckInterval = TimeSpan.FromMilliseconds(jobs.CancellationCheckIntervalMs);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.ShutdownTimeout = jobs.ShutdownTimeout;
            });
            services.AddSingleton<OrphanSweep>();
            services.AddHostedService<JobMaintenance>();
            services.AddHostedService(sp => sp.GetRequiredService<JobShutdown>());
        }

        // Jobs:ShutdownTimeoutSeconds bounds the whole stop (SIGTERM): JobShutdown's drain, the web server, Hangfire.
        services.AddOptions<HostOptions>().Configure<IOptions<JobsOptions>>((host, jobs) => host.ShutdownTimeout = jobs.Value.ShutdownTimeout);
        services.AddSingleton<JobShutdown>();
        services.AddSingleton<JobSignals>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<OperatorAccess>();
        services.AddTransient<JobRunner>();
        return builder;
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new DashboardAccessFilter(app.Services.GetRequiredService<OperatorAccess>())],
            DisplayStorageConnectionString = false,
            AppPath = null,
        });
        return app;
    }

    private static PostgreSqlStorage CreatePostgresStorage(string connectionString, JobsOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(jobs.QueuePollIntervalMs),
            // A long export must not be handed to a second worker while its server is alive.
            UseSlidingInvisibilityTimeout = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
