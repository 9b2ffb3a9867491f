using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>
/// A facade in front of the sample upstream with paging quirks set, an export run to its manifest, and every output line
/// read back by id: what the paging tests compare exactly.
/// </summary>
internal sealed class QuirkedExport(FacadeApplication app) : IAsyncDisposable
{
    private readonly HttpClient http = app.CreateRawClient();

    public static QuirkedExport Start(IDictionary<string, string?> settings) => new(new FacadeApplication(settings).Start());

    public HttpClient Http => http;

    /// <summary>X-Progress of the last export's final answer, if it had one.</summary>
    public string? FinalProgress { get; private set; }

    /// <summary>Kicks off, waits for the manifest (200), returns it.</summary>
    public async Task<JsonElement> ExportAsync(string kickOff, TimeSpan timeout)
    {
        var client = new AsyncClient(http);
        var status = await client.KickOffAsync(kickOff);
        using var done = await client.WaitAsync(status, timeout);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        FinalProgress = AsyncClient.Progress(done);
        return await FhirAssert.JsonAsync(done);
    }

    /// <summary>The ids of every exported resource of <paramref name="type"/>, failing on a duplicate or a line count that differs from the manifest's.</summary>
    public async Task<HashSet<string>> IdsAsync(JsonElement manifest, string type)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in manifest.GetProperty("output").EnumerateArray().Where(o => o.GetProperty("type").GetString() == type))
        {
            await using var body = await http.GetStreamAsync(output.GetProperty("url").GetString(), TestContext.Current.CancellationToken);
            using var reader = new StreamReader(body);
            long lines = 0;
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                lines++;
                using var resource = JsonDocument.Parse(line);
                var id = resource.RootElement.GetProperty("id").GetString()!;
                Assert.True(ids.Add(id), $"{type}/{id} was exported twice");
            }
            Assert.Equal(output.GetProperty("count").GetInt64(), lines);
        }
        return ids;
    }

    /// <summary>The OperationOutcomes of the manifest's error files.</summary>
    public async Task<List<JsonElement>> ErrorsAsync(JsonElement manifest)
    {
        var outcomes = new List<JsonElement>();
        foreach (var error in manifest.GetProperty("error").EnumerateArray())
        {
            var text = await http.GetStringAsync(error.GetProperty("url").GetString(), TestContext.Current.CancellationToken);
            outcomes.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()));
        }
        return outcomes;
    }

    /// <summary>The sample upstream's generated ids of a type: `{prefix}-0` … `{prefix}-{count-1}`.</summary>
    public static HashSet<string> Generated(string prefix, long count) =>
        Enumerable.Range(0, checked((int)count)).Select(i => $"{prefix}-{i}").ToHashSet(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }
}
