using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Bench;

/// <summary>An upstream that holds every request open until disposed, so the jobs calling it stay "running".</summary>
internal sealed class HeldUpstream : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource release = new();

    private HeldUpstream(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<HeldUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var held = new HeldUpstream(builder.Build());
        held.app.MapGet("/fhir/metadata", () => Results.Text(
            """{"resourceType":"CapabilityStatement","status":"active","kind":"instance","fhirVersion":"4.0.1","format":["json"]}""",
            "application/fhir+json"));
        held.app.MapGet("/fhir/{**path}", async (HttpContext context) =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, held.release.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await held.app.StartAsync();
        held.BaseUrl = held.app.Urls.First() + "/fhir";
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        await release.CancelAsync();
        await app.DisposeAsync();
        release.Dispose();
    }
}
