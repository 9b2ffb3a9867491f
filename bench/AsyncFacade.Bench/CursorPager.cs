using System.Diagnostics;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// The best a single client can do against a server with an offset cap: one search sorted by `_lastUpdated` (cursor
/// links, no cap), following `next` page after page, keeping every id so completeness is checked, not assumed.
/// </summary>
internal static class CursorPager
{
    public static async Task<(HashSet<string> Ids, long Entries, double Seconds)> PageAsync(HttpClient client, string firstUrl)
    {
        var watch = Stopwatch.StartNew();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long entries = 0;
        for (string? next = firstUrl; next is not null;)
        {
            using var response = await client.GetAsync(next, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {next} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            await using var body = await response.Content.ReadAsStreamAsync();
            using var page = await JsonDocument.ParseAsync(body);
            if (page.RootElement.TryGetProperty("entry", out var entryArray))
            {
                foreach (var entry in entryArray.EnumerateArray())
                {
                    ids.Add(entry.GetProperty("resource").GetProperty("id").GetString()!);
                    entries++;
                }
            }
            next = page.RootElement.TryGetProperty("link", out var links)
                ? links.EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next").Select(l => l.GetProperty("url").GetString()).FirstOrDefault()
                : null;
        }
        return (ids, entries, watch.Elapsed.TotalSeconds);
    }
}
