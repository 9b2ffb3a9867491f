using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// A real Kestrel host on loopback serving NDJSON files the way storage does: `/files/{name}` plain (gzip-encoded when the
/// client accepts it), `/secure/{name}` only with the right bearer token, `/redirect/{name}` → 302 to the file,
/// `/redirect-to?url=…` → 302 anywhere, `/flaky/{name}` answers 503 with Retry-After once, then the file, and
/// `/slow/{name}` trickles the file out ten lines every 50 ms, noting when the client hangs up.
/// </summary>
public sealed class NdjsonSourceHost : IAsyncDisposable
{
    public const string Token = "source-token-0123456789";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, byte[]> files = new();
    private readonly ConcurrentDictionary<string, int> flaky = new();

    private NdjsonSourceHost(WebApplication app) => this.app = app;

    /// <summary>e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public ConcurrentBag<string?> AuthorizationHeaders { get; } = [];

    /// <summary>Names of /slow files whose reader hung up before the end.</summary>
    public ConcurrentBag<string> Abandoned { get; } = [];

    public static async Task<NdjsonSourceHost> StartAsync(CancellationToken cancellationToken)
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var host = new NdjsonSourceHost(app);
        app.MapGet("/files/{name}", (string name, HttpContext c) => host.ServeAsync(name, c));
        app.MapGet("/secure/{name}", (string name, HttpContext c) =>
        {
            host.AuthorizationHeaders.Add(c.Request.Headers.Authorization);
            return c.Request.Headers.Authorization == "Bearer " + Token ? host.ServeAsync(name, c) : Status(c, 401);
        });
        app.MapGet("/redirect/{name}", (string name) => Results.Redirect("/files/" + name));
        app.MapGet("/redirect-to", (string url) => Results.Redirect(url));
        app.MapGet("/flaky/{name}", (string name, HttpContext c) =>
        {
            if (host.flaky.AddOrUpdate(name, 1, (_, n) => n + 1) == 1)
            {
                c.Response.Headers.RetryAfter = "1";
                return Status(c, 503);
            }
            return host.ServeAsync(name, c);
        });
        app.MapGet("/slow/{name}", (string name, HttpContext c) => host.TrickleAsync(name, c));
        await app.StartAsync(cancellationToken);
        host.BaseUrl = LoopbackHost.BaseUrl(app);
        return host;
    }

    /// <summary>Serves <paramref name="lines"/> joined by '\n' at /files/{name} (and the other routes); returns its URL.</summary>
    public string Add(string name, IEnumerable<string> lines)
    {
        files[name] = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        return $"{BaseUrl}/files/{name}";
    }

    private async Task ServeAsync(string name, HttpContext context)
    {
        if (!files.TryGetValue(name, out var bytes))
        {
            await Status(context, 404);
            return;
        }
        context.Response.ContentType = "application/fhir+ndjson";
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(bytes, context.RequestAborted);
            return;
        }
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private async Task TrickleAsync(string name, HttpContext context)
    {
        var lines = Encoding.UTF8.GetString(files[name]).Split('\n');
        context.Response.ContentType = "application/fhir+ndjson";
        try
        {
            foreach (var chunk in lines.Chunk(10))
            {
                await context.Response.WriteAsync(string.Join("\n", chunk) + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(50, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            Abandoned.Add(name);
        }
    }

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
