using AsyncFacade.Server.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>
/// A minimal real host with only the callbacks feature (AddCallbacks + `Callbacks:*` settings), started on a free
/// loopback port, its logs recorded. Program does not register the feature yet; when it does, these tests still
/// exercise exactly the registration it uses. Needs no PostgreSQL.
/// </summary>
internal sealed class CallbacksHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private CallbacksHost(WebApplication app, LogRecorder logs)
    {
        this.app = app;
        Logs = logs;
    }

    public LogRecorder Logs { get; }

    public CallbackNotifier Notifier => app.Services.GetRequiredService<CallbackNotifier>();

    public CallbackUrlPolicy Policy => app.Services.GetRequiredService<CallbackUrlPolicy>();

    /// <summary>Starts the host; throws what start-up threw (an options validation failure).</summary>
    public static async Task<CallbacksHost> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogRecorder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        // Information from every category, HttpClient's own handlers included (the server's appsettings.json, copied
        // here, turns those down), so a test sees anything that could leak into a log.
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Information);
        builder.Logging.AddFilter("AsyncFacade", LogLevel.Debug);
        builder.Services.AddCallbacks();

        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new CallbacksHost(app, logs);
    }

    /// <summary>Stops the host the way a shutdown does (the dispatcher's StopAsync runs).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
