using System.Diagnostics;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>The client one writes without the facade: page each type in turn, following `next`, parsing every page.</summary>
internal static class NaivePager
{
    public static async Task<(long Count, double Seconds)> PageAllAsync(HttpClient client, string baseUrl, IReadOnlyList<string> types, int pageSize)
    {
        var watch = Stopwatch.StartNew();
        long count = 0;
        foreach (var type in types)
        {
            for (string? next = $"{baseUrl}/{type}?_count={pageSize}"; next is not null;)
            {
                await using var body = await client.GetStreamAsync(next);
                using var page = await JsonDocument.ParseAsync(body);
                count += page.RootElement.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;
                next = NextLink(page.RootElement);
            }
        }
        return (count, watch.Elapsed.TotalSeconds);
    }

    private static string? NextLink(JsonElement bundle) =>
        bundle.TryGetProperty("link", out var links)
            ? links.EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next").Select(l => l.GetProperty("url").GetString()).FirstOrDefault()
            : null;
}
