using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>
/// A client's JWKS host on loopback: `/jwks` serves <see cref="Jwks"/> (changeable, for key rotation), `/big` more than
/// the fetcher reads, `/moved` a redirect. Counts fetches of `/jwks`.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int fetches;

    private JwksServer(WebApplication app) => this.app = app;

    public volatile string Jwks = """{"keys":[]}""";

    public int Fetches => Volatile.Read(ref fetches);

    public Uri Address => new(LoopbackHost.BaseUrl(app) + "/");

    /// <summary>The same port under the name "localhost", which the test facade lists in Auth:Issuer:JwksAllowedHosts.</summary>
    public string Url(string path) => $"http://localhost:{Address.Port}/{path}";

    public static async Task<JwksServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = LoopbackHost.CreateBuilder();
        var app = builder.Build();
        var server = new JwksServer(app);
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref server.fetches);
            return Results.Text(server.Jwks, "application/json");
        });
        app.MapGet("/big", () => Results.Text("{\"keys\":[" + new string(' ', 100_000) + "]}", "application/json"));
        app.MapGet("/moved", () => Results.Redirect("/jwks"));
        await app.StartAsync(cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
