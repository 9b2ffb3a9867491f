using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// A minimal upstream FHIR server whose first request hangs until the caller goes away, and every later one
/// answers at once with a Patient: enough to catch a job mid-request and see whether it is run again.
/// </summary>
public sealed class GateUpstream : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private GateUpstream(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public int Requests => Volatile.Read(ref requests);

    /// <summary>Set when the hanging first request was abandoned by its caller (cancelled or crashed).</summary>
    public TaskCompletionSource FirstRequestAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<GateUpstream> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var gate = new GateUpstream(builder.Build());
        gate.app.MapMethods("/fhir/{**path}", ["GET", "POST"], gate.HandleAsync);
        await gate.app.StartAsync(cancellationToken);
        gate.BaseUrl = gate.app.Urls.First() + "/fhir";
        return gate;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task HandleAsync(HttpContext httpContext)
    {
        if (Interlocked.Increment(ref requests) == 1)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, httpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                FirstRequestAborted.TrySetResult();
                return; // the caller went away
            }
        }
        httpContext.Response.ContentType = "application/fhir+json";
        await httpContext.Response.WriteAsync("""{"resourceType":"Patient","id":"gated"}""", httpContext.RequestAborted);
    }
}
