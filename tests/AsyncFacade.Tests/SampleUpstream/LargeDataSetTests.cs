using AsyncFacade.SampleUpstream.Search;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.SampleUpstream;

public sealed class LargeDataSetTests
{
    [Fact]
    public async Task The_last_page_of_a_million_resource_type_is_reached_directly_by_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        // 100,000 patients = 1.2M Observations, none of them held in memory.
        await using var host = await SampleUpstreamHost.StartAsync(100_000, seed: 1, ct);
        var count = await BundleJson.GetAsync(host.Client, "Observation?_count=0", ct);
        Assert.Equal(1_200_000, count.GetProperty("total").GetInt64());

        // The server's own cursor for "position 1,199,990": what a client holds after paging that far.
        var cursor = host.Services.GetRequiredService<CursorCodec>().Encode(new PageCursor(0, PageCursor.GeneratedSegment, 1_199_990), "search/Observation");
        var last = await BundleJson.GetAsync(host.Client, $"Observation?_count=1000&_cursor={cursor}", ct);

        Assert.Equal(Enumerable.Range(1_199_990, 10).Select(i => $"obs-{i}"), BundleJson.Ids(last));
        Assert.Null(BundleJson.Link(last, "next"));
    }

    [Fact]
    public async Task Writes_during_paging_never_make_a_page_repeat_or_skip_unchanged_resources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SampleUpstreamHost.StartAsync(50, seed: 2, ct);
        var seen = new List<string>();
        string? url = "Observation?_count=100";
        var round = 0;
        while (url is not null)
        {
            var page = await BundleJson.GetAsync(host.Client, url, ct);
            seen.AddRange(BundleJson.Ids(page));
            url = BundleJson.Link(page, "next");
            // Between pages: create a new Observation and delete a generated one on the last, not yet seen, page.
            await BundleJson.SendAsync(host.Client, HttpMethod.Post, "Observation", """{"resourceType":"Observation","status":"final","code":{"text":"new"}}""", ct, System.Net.HttpStatusCode.Created);
            await BundleJson.SendAsync(host.Client, HttpMethod.Delete, $"Observation/obs-{599 - round}", null, ct, System.Net.HttpStatusCode.NoContent);
            round++;
        }

        var deleted = Enumerable.Range(0, round).Select(r => $"obs-{599 - r}").ToHashSet();
        var unchanged = Enumerable.Range(0, 600).Select(i => $"obs-{i}").Where(id => !deleted.Contains(id)).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(unchanged, id => Assert.Contains(id, seen));
        Assert.True(seen.Count(id => !id.StartsWith("obs-", StringComparison.Ordinal)) >= round - 1, "resources created while paging show up at the end");
    }
}
