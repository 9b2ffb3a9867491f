using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>
/// A real HTTP endpoint on a free loopback port that records every request (headers and raw body). The path picks the
/// answer, so one receiver can play several clients: `/status/{code}` answers that code, `/stall` never answers
/// (until the caller gives up), `/redirect` answers 307 to `/status/204`.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedCallback> received = new();

    private CallbackReceiver(WebApplication app) => this.app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    public string StallingUrl => BaseUrl + "/stall";

    public string RedirectingUrl => BaseUrl + "/redirect";

    public IReadOnlyList<ReceivedCallback> Received => [.. received];

    public string UrlFor(int status) => $"{BaseUrl}/status/{status}";

    public static async Task<CallbackReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Logging.ClearProviders();
        var receiver = new CallbackReceiver(builder.Build());
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync(cancellationToken);
        receiver.BaseUrl = LoopbackHost.BaseUrl(receiver.app);
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived; returns them all.</summary>
    public Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => Task.FromResult(Received), r => r.Count >= count, timeout, $"{count} callbacks at {BaseUrl}");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        received.Enqueue(new ReceivedCallback(request.Method, request.Path + request.QueryString, headers, body.ToArray()));

        var path = request.Path.Value ?? "";
        if (path == "/stall")
        {
            await StallAsync(context);
        }
        else if (path == "/redirect")
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = "/status/204";
        }
        else if (path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path["/status/".Length..], out var status))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    // Holds the request until the caller gives up or the receiver stops, whichever comes first.
    private async Task StallAsync(HttpContext context)
    {
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
