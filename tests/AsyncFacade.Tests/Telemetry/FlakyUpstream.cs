using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Telemetry;

/// <summary>An upstream FHIR server that answers each read first with 503 (Retry-After: 0), then with the Patient.</summary>
public sealed class FlakyUpstream : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HashSet<string> failed = [];

    private FlakyUpstream(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FlakyUpstream> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var upstream = new FlakyUpstream(builder.Build());
        upstream.app.MapGet("/fhir/Patient/{id}", upstream.Read);
        await upstream.app.StartAsync(cancellationToken);
        upstream.BaseUrl = upstream.app.Urls.First() + "/fhir";
        return upstream;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private IResult Read(string id, HttpContext httpContext)
    {
        lock (failed)
        {
            if (failed.Add(id))
            {
                httpContext.Response.Headers.RetryAfter = "0";
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        }
        return Results.Text($$"""{"resourceType":"Patient","id":"{{id}}"}""", "application/fhir+json");
    }
}
