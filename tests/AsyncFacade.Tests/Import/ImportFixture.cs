using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// Hosts for the import tests: an empty sample upstream to import into, a facade in front of it that may fetch from
/// loopback (`Import:AllowedHosts` lists 127.0.0.1, as tests run there) and read file:// from its own directory, an
/// NDJSON source host, and a second facade with sample data to export from (the round trip).
/// </summary>
public sealed class ImportFixture : IAsyncLifetime
{
    public SampleUpstreamHost Target { get; private set; } = null!;

    public NdjsonSourceHost Sources { get; private set; } = null!;

    public FacadeApplication Importer { get; private set; } = null!;

    public FacadeApplication Exporter { get; private set; } = null!;

    public string FileDirectory { get; } = Path.Combine(Path.GetTempPath(), "asyncfacade-import-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(FileDirectory);
        Target = await SampleUpstreamHost.StartAsync(0, seed: 1, ct);
        Sources = await NdjsonSourceHost.StartAsync(ct);
        Importer = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = Target.BaseUrl,
            ["Import:AllowedHosts:0"] = "127.0.0.1",
            ["Import:AllowedHosts:1"] = "127.0.0.2",   // listed, but no bearer token configured for it
            ["Import:AllowedHosts:2"] = "*.localhost", // a wildcard whose names resolve to loopback
            ["Import:BearerTokens:127.0.0.1"] = NdjsonSourceHost.Token,
            ["Import:FileDirectory"] = FileDirectory,
            ["Import:BatchSize"] = "50", // several batches per file even in small tests
            ["Import:MaxParallelism"] = "2",
        }).Start();
        Exporter = new FacadeApplication().Start();
    }

    public async ValueTask DisposeAsync()
    {
        await Importer.DisposeAsync();
        await Exporter.DisposeAsync();
        await Sources.DisposeAsync();
        await Target.DisposeAsync();
        Directory.Delete(FileDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ImportCollection : ICollectionFixture<ImportFixture>
{
    public const string Name = "Import into an empty upstream";
}
