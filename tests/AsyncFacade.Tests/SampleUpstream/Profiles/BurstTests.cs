namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>LastUpdatedBurst: many rows in one millisecond, more than a page, with exact instant searches still exact.</summary>
public sealed class BurstTests
{
    private const int Patients = 50; // 600 Observations
    private const int Burst = 150;

    [Fact]
    public async Task Each_burst_shares_one_lastUpdated_and_the_order_stays_non_decreasing()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LastUpdatedBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_count=1000");
        var instants = pages.SelectMany(BundleJson.Resources).Select(r => r.GetProperty("meta").GetProperty("lastUpdated").GetString()!).ToList();

        Assert.Equal(600, instants.Count);
        Assert.Equal(4, instants.Distinct().Count());
        Assert.Equal(instants.Order(StringComparer.Ordinal), instants);
        Assert.All(instants.Chunk(Burst), chunk => Assert.Single(chunk.Distinct()));
    }

    [Fact]
    public async Task An_eq_search_on_one_instant_and_a_ge_lt_pair_around_it_find_exactly_that_burst_over_several_pages()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LastUpdatedBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var instant = PagingHost.LastUpdatedMs(300, Patients * 12, Burst);
        var text = Uri.EscapeDataString(PagingHost.Instant(instant));
        var after = Uri.EscapeDataString(PagingHost.Instant(instant + 1));
        var expected = Enumerable.Range(300, Burst).Select(i => $"obs-{i}").ToList();

        var eq = await PagingHost.FollowAsync(host.Client, $"Observation?_lastUpdated=eq{text}&_count=40");
        var range = await PagingHost.FollowAsync(host.Client, $"Observation?_lastUpdated=ge{text}&_lastUpdated=lt{after}&_count=40");

        Assert.Equal(expected, eq.SelectMany(BundleJson.Ids));
        Assert.Equal(expected, range.SelectMany(BundleJson.Ids));
        Assert.Equal(4, eq.Count);
    }
}
