using System.Net;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Store;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// A facade of its own for the corpus (no other test's jobs come and go in its store), with what the cases aim at: a
/// finished read (`{interaction}`), a finished export with a file (`{export}`, `{file}`) and one of its units (`{unit}`),
/// and a directory file:// imports may read (`{importDir}`). <see cref="SnapshotAsync"/> is what a refused request must not change.
/// </summary>
public abstract class BadInputFacade(FacadeStore store) : IAsyncLifetime
{
    private readonly Dictionary<string, string> placeholders = new(StringComparer.Ordinal);
    private TestPostgres? database;
    private HttpClient? control;

    public FacadeApplication App { get; private set; } = null!;

    /// <summary>The client every case is sent with: no default headers, redirects not followed.</summary>
    public HttpClient Http { get; private set; } = null!;

    public string ImportDirectory { get; } = Path.Combine(Path.GetTempPath(), "asyncfacade-badinput", Guid.NewGuid().ToString("N"));

    /// <summary>Fills in the placeholders of a case's path, headers or body.</summary>
    public virtual string Resolve(string text)
    {
        foreach (var (name, value) in placeholders)
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Jobs in the store, every entry under the output directory, and the count of writes the upstream has taken.</summary>
    public async Task<BadInputSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var jobs = await App.GetRequiredService<IJobStore>().CountAsync(cancellationToken);
        var root = App.OutputDirectory;
        IEnumerable<string> files = Directory.Exists(root)
            ? Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(root, path) + (File.Exists(path) ? ":" + new FileInfo(path).Length : "/"))
                .Order(StringComparer.Ordinal)
            : [];
        var upstream = App.GetRequiredService<ResourceStore>();
        long writes;
        lock (upstream.Gate)
        {
            writes = Hl7.Fhir.Model.ModelInfo.SupportedResources.Sum(type => (long)(upstream.OverlayOf(type)?.Changes.Count ?? 0));
        }
        return new BadInputSnapshot(jobs, string.Join('\n', files), writes);
    }

    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Import:FileDirectory"] = ImportDirectory,
    };

    /// <summary>The client the host's own jobs are started and polled with (with auth on, one with a token).</summary>
    protected virtual Task<HttpClient> ControlClientAsync(CancellationToken cancellationToken) => Task.FromResult(Http);

    protected void Define(string placeholder, string value) => placeholders[placeholder] = value;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(ImportDirectory);
        await File.WriteAllTextAsync(Path.Combine(ImportDirectory, "inside.ndjson"), """{"resourceType":"Patient","id":"inside"}""" + "\n", ct);
        if (store == FacadeStore.Postgres)
        {
            database = await TestPostgres.CreateDatabaseAsync(ct);
        }
        App = new FacadeApplication(Settings(), database?.ConnectionString).Start();
        Http = App.CreateRawClient();
        Define("{facade}", new Uri(App.ServerAddress, "fhir").ToString());
        Define("{importDir}", new Uri(ImportDirectory).AbsoluteUri);
        control = await ControlClientAsync(ct);
        await StartJobsAsync(control, ct);
    }

    private async Task StartJobsAsync(HttpClient control, CancellationToken ct)
    {
        var client = new AsyncClient(control);
        var read = await client.KickOffAsync("/fhir/Patient/pat-1");
        (await client.WaitAsync(read)).Dispose();
        var interaction = read[(read.LastIndexOf('/') + 1)..];
        Define("{interaction}", interaction);
        Define("{INTERACTION}", interaction.ToUpperInvariant());

        var exportStatus = await client.KickOffAsync(new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Organization,Practitioner&allowPartialManifests=true"));
        using var done = await client.WaitAsync(exportStatus, TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);
        var export = exportStatus[(exportStatus.LastIndexOf('/') + 1)..];
        var file = new Uri(manifest.GetProperty("output")[0].GetProperty("url").GetString()!).AbsolutePath.Split('/')[^1];
        var units = await App.GetRequiredService<IJobStore>().ListChildrenAsync(export, ct);
        Define("{export}", export);
        Define("{file}", file);
        Define("{FILE}", file.ToUpperInvariant());
        Define("{unit}", units[0].Id);
    }

    public async ValueTask DisposeAsync()
    {
        control?.Dispose();
        Http.Dispose();
        await App.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
        Directory.Delete(ImportDirectory, recursive: true);
    }
}

/// <summary>What a refused request must leave as it was.</summary>
public sealed record BadInputSnapshot(int Jobs, string OutputEntries, long UpstreamWrites);

public sealed class InMemoryBadInputFacade() : BadInputFacade(FacadeStore.InMemory);

public sealed class PostgresBadInputFacade() : BadInputFacade(FacadeStore.Postgres);

[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<InMemoryBadInputFacade>
{
    public const string Name = "Bad input corpus (in memory)";
}

[CollectionDefinition(Name)]
public sealed class PostgresBadInputCollection : ICollectionFixture<PostgresBadInputFacade>
{
    public const string Name = "Bad input corpus (PostgreSQL)";
}
