using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// The import one writes without the facade: read each NDJSON file line by line and PUT every resource to the upstream,
/// one request at a time. Counts the 2xx answers; anything else is a failed benchmark.
/// </summary>
internal static class NaivePutLoop
{
    public static async Task<(long Count, double Seconds)> PutAllAsync(HttpClient client, IEnumerable<ExportManifestFile> files, string upstreamBase)
    {
        var watch = Stopwatch.StartNew();
        long count = 0;
        foreach (var file in files)
        {
            await using var body = await client.GetStreamAsync(file.Url);
            using var reader = new StreamReader(body, Encoding.UTF8);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                var id = IdOf(line);
                using var content = new StringContent(line, Encoding.UTF8, "application/fhir+json");
                using var response = await client.PutAsync($"{upstreamBase}/{file.Type}/{id}", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"PUT {file.Type}/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                count++;
            }
        }
        return (count, watch.Elapsed.TotalSeconds);
    }

    private static string IdOf(string line)
    {
        using var resource = JsonDocument.Parse(line);
        return resource.RootElement.GetProperty("id").GetString()!;
    }
}
