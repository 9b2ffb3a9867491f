using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// A Bulk Data client that keeps the id of every exported line (kick-off, long-poll, download, DELETE), so a profile
/// benchmark can say which resources an export lost or repeated instead of only how many lines it wrote.
/// </summary>
internal sealed class IdExportClient(HttpClient client, int parallelDownloads)
{
    public async Task<IdExportRun> ExportAsync(string kickOffUrl)
    {
        var watch = Stopwatch.StartNew();
        var statusUrl = await ExportKickOff.SendAsync(client, kickOffUrl);
        var (manifestJson, _) = await StatusPoller.WaitAsync(client, statusUrl);
        var manifestSeconds = watch.Elapsed.TotalSeconds;
        var manifest = JsonSerializer.Deserialize<ExportManifest>(manifestJson) ?? throw new InvalidOperationException("The manifest is empty.");

        var ids = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        long lines = 0;
        await Parallel.ForEachAsync(manifest.Output, new ParallelOptions { MaxDegreeOfParallelism = parallelDownloads }, async (file, _) =>
        {
            await foreach (var line in LinesAsync(file.Url))
            {
                using var resource = JsonDocument.Parse(line);
                ids.TryAdd(resource.RootElement.GetProperty("id").GetString()!, 0);
                Interlocked.Increment(ref lines);
            }
        });
        var errors = new List<string>();
        foreach (var file in manifest.Error)
        {
            await foreach (var line in LinesAsync(file.Url))
            {
                errors.Add(line);
            }
        }
        var seconds = watch.Elapsed.TotalSeconds;
        using var deleted = await client.DeleteAsync(statusUrl);
        return new IdExportRun([.. ids.Keys], lines, errors, manifestSeconds, seconds);
    }

    private async IAsyncEnumerable<string> LinesAsync(string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
