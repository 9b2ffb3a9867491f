using System.Globalization;
using System.Text.Json;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>Starts a sample upstream with paging quirks and follows its next links the way a client must: as given.</summary>
internal static class PagingHost
{
    /// <summary>Generated meta.lastUpdated values are spread over [2024-01-01, 2026-01-01) in index order.</summary>
    private static readonly long WindowStart = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long WindowEnd = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <param name="settings">Keys under <c>SampleUpstream:</c>, e.g. <c>("Paging:LinkStyle", "Offset")</c>.</param>
    public static Task<SampleUpstreamHost> StartAsync(int patients, params (string Key, string Value)[] settings) =>
        SampleUpstreamHost.StartAsync(patients, seed: 1, TestContext.Current.CancellationToken,
            settings.ToDictionary(s => "SampleUpstream:" + s.Key, s => (string?)s.Value));

    /// <summary>Every page from <paramref name="firstUrl"/> on; fails rather than loop when next links never end.</summary>
    public static async Task<List<JsonElement>> FollowAsync(HttpClient client, string firstUrl, int maxPages = 2_000)
    {
        var pages = new List<JsonElement>();
        for (string? url = firstUrl; url is not null; url = BundleJson.Link(pages[^1], "next"))
        {
            Assert.True(pages.Count < maxPages, $"more than {maxPages} pages from {firstUrl}");
            pages.Add(await BundleJson.GetAsync(client, url, TestContext.Current.CancellationToken));
        }
        return pages;
    }

    /// <summary>Observation ids whose generated lastUpdated is in [fromMs, toMs), in index order (Observations = 12 per patient).</summary>
    public static List<string> ObservationIds(int patients, long fromMs = long.MinValue, long toMs = long.MaxValue, int burst = 1)
    {
        var ids = new List<string>();
        long count = patients * 12L;
        for (long index = 0; index < count; index++)
        {
            var lastUpdated = LastUpdatedMs(index, count, burst);
            if (lastUpdated >= fromMs && lastUpdated < toMs)
            {
                ids.Add("obs-" + index.ToString(CultureInfo.InvariantCulture));
            }
        }
        return ids;
    }

    public static long LastUpdatedMs(long index, long count, int burst = 1)
    {
        index -= index % burst;
        return WindowStart + (long)((Int128)index * (WindowEnd - WindowStart) / count);
    }

    public static long Ms(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public static string Instant(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Issue(JsonElement outcome) => outcome.GetProperty("issue")[0].TryGetProperty("diagnostics", out var d) ? d.GetString()! : outcome.GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString()!;
}
