using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;

namespace AsyncFacade.Tests.Import.Writes;

/// <summary>An empty sample upstream behaving as the given `SampleUpstream:*` settings say, and an importing facade in front of it.</summary>
public sealed class QuirkyTarget : IAsyncDisposable
{
    private QuirkyTarget(SampleUpstreamHost upstream, FacadeApplication importer)
    {
        Upstream = upstream;
        Importer = importer;
        Http = importer.CreateRawClient();
    }

    public SampleUpstreamHost Upstream { get; }

    public FacadeApplication Importer { get; }

    public HttpClient Http { get; }

    /// <param name="upstream">e.g. ("SampleUpstream:Profile", "medplum") or ("SampleUpstream:Writes:NoEntries", "true").</param>
    public static async Task<QuirkyTarget> StartAsync(IEnumerable<(string Key, string Value)> upstream, string bundleType = "batch", int batchSize = 20)
    {
        var host = await SampleUpstreamHost.StartAsync(0, seed: 1, TestContext.Current.CancellationToken,
            upstream.ToDictionary(s => s.Key, s => (string?)s.Value));
        var importer = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = host.BaseUrl,
            ["Import:AllowedHosts:0"] = "127.0.0.1",
            ["Import:BundleType"] = bundleType,
            ["Import:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The upstream's answer is under test, not the facade's checks: let lines the upstream refuses through.
            ["Import:ValidateResources"] = "false",
        }).Start();
        return new QuirkyTarget(host, importer);
    }

    /// <summary>Reads {type}/{id} straight from the upstream's store: the resource, or null when it answers 404.</summary>
    public async Task<JsonElement?> ReadAsync(string type, string id)
    {
        using var response = await Upstream.Client.GetAsync($"{type}/{id}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Importer.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
