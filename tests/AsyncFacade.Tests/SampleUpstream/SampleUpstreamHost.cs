using AsyncFacade.SampleUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.SampleUpstream;

/// <summary>
/// A real Kestrel host on a free loopback port serving only the sample upstream, so tests talk HTTP to it
/// exactly as the facade does. Also used as a second, empty FHIR server (Patients = 0) for import round trips.
/// </summary>
public sealed class SampleUpstreamHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private SampleUpstreamHost(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
    }

    /// <summary>Absolute FHIR base, e.g. <c>http://127.0.0.1:41234/upstream/fhir</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    /// <summary>A client whose BaseAddress is <see cref="BaseUrl"/> + "/", so relative URIs like "Patient/pat-0" work.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="configure">Runs before the FHIR API is mapped, e.g. to add a middleware that watches every request.</param>
    public static async Task<SampleUpstreamHost> StartAsync(int patients, int seed, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null,
        Action<WebApplication>? configure = null)
    {
        var builder = LoopbackHost.CreateBuilder();
        var configuration = new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = patients.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SampleUpstream:Seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSampleUpstream();
        var app = builder.Build();
        configure?.Invoke(app);
        app.MapSampleUpstream();
        await app.StartAsync(cancellationToken);
        return new SampleUpstreamHost(app, LoopbackHost.BaseUrl(app) + "/upstream/fhir");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
