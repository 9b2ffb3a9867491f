using AsyncFacade.Server.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// The real server on Kestrel (a free loopback port), with the embedded sample upstream reached over HTTP,
/// its own output directory and, for <see cref="FacadeStore.Postgres"/>, its own PostgreSQL database.
/// The only test-specific parts are the extra job kinds in <see cref="TestJobHandlers"/>.
/// </summary>
public sealed class FacadeApplication : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly string outputDirectory;
    private readonly Action<IServiceCollection>? configureServices;

    /// <param name="configureServices">Extra test services, e.g. a recording ILoggerProvider.</param>
    /// <param name="listenOn">Another address than loopback, so that requests arrive from a non-local peer (access rules).</param>
    public FacadeApplication(IDictionary<string, string?>? settings = null, string? postgres = null, Action<IServiceCollection>? configureServices = null,
        System.Net.IPAddress? listenOn = null)
    {
        this.configureServices = configureServices;
        outputDirectory = settings?.TryGetValue("Storage:LocalPath", out var shared) == true && shared is not null
            ? shared
            : Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N"));
        this.settings = new Dictionary<string, string?>
        {
            ["Storage:LocalPath"] = outputDirectory,
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("ASYNCFACADE_TEST_LOGLEVEL") ?? "Warning",
            ["SampleUpstream:Patients"] = "100",
            ["ConnectionStrings:Postgres"] = postgres,
            // A host disposed with a job still running gives it a second to reach a checkpoint, not 25 s of the default 30.
            ["Jobs:ShutdownTimeoutSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }
        UseKestrel(options => options.Listen(listenOn ?? System.Net.IPAddress.Loopback, 0));
    }

    public string OutputDirectory => outputDirectory;

    /// <summary>Starts Kestrel; throws what start-up threw (e.g. an options validation failure).</summary>
    public FacadeApplication Start()
    {
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting (not ConfigureAppConfiguration) so Program sees the values while it registers services.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddTestJobHandlers();
            configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    /// <summary>The Kestrel address the app listens on, e.g. http://127.0.0.1:41234/.</summary>
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");

    /// <summary>A client that shows the raw protocol: redirects (303) are not followed.</summary>
    public HttpClient CreateRawClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = ServerAddress, Timeout = TimeSpan.FromSeconds(60) };

    public T GetRequiredService<T>() where T : notnull => Services.GetRequiredService<T>();
}
