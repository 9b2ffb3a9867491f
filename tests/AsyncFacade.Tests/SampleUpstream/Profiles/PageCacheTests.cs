using System.Net;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>HAPI-style <c>_getpages</c> links read a search kept server-side, which expires.</summary>
public sealed class PageCacheTests
{
    [Fact]
    public async Task A_getpages_link_older_than_the_cache_answers_410_as_HAPI_does()
    {
        await using var host = await PagingHost.StartAsync(50, ("Paging:LinkStyle", "PageCache"), ("Paging:PageCacheSeconds", "1"));
        var ct = TestContext.Current.CancellationToken;
        var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", ct);
        var next = BundleJson.Link(first, "next")!;
        Assert.Equal(100, BundleJson.Ids(await BundleJson.GetAsync(host.Client, next, ct)).Count); // still fresh

        await Task.Delay(TimeSpan.FromMilliseconds(1200), ct); // the expiry is the thing under test: let it pass

        var gone = await BundleJson.GetAsync(host.Client, next, ct, HttpStatusCode.Gone);
        var id = next.Split("_getpages=")[1].Split('&')[0];
        Assert.Equal($"Search ID \"{id}\" does not exist and may have expired", PagingHost.Issue(gone));
        Assert.Equal("OperationOutcome", gone.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task An_unknown_search_id_answers_410_and_a_plain_GET_on_the_base_stays_405()
    {
        await using var host = await PagingHost.StartAsync(5, ("Paging:LinkStyle", "PageCache"));
        var ct = TestContext.Current.CancellationToken;
        var gone = await BundleJson.GetAsync(host.Client, host.BaseUrl + "?_getpages=nope&_getpagesoffset=10&_count=10", ct, HttpStatusCode.Gone);
        Assert.Contains("\"nope\" does not exist and may have expired", PagingHost.Issue(gone));

        await BundleJson.GetAsync(host.Client, host.BaseUrl, ct, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Cached_pages_keep_the_total_and_the_offset_cap_applies_to_getpagesoffset()
    {
        await using var host = await PagingHost.StartAsync(50, ("Paging:LinkStyle", "PageCache"), ("Paging:MaxOffset", "200"));
        var ct = TestContext.Current.CancellationToken;
        var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100&_total=accurate", ct);
        Assert.Equal(600, first.GetProperty("total").GetInt64());
        var second = await BundleJson.GetAsync(host.Client, BundleJson.Link(first, "next")!, ct);
        Assert.Equal(600, second.GetProperty("total").GetInt64());
        Assert.Equal("obs-100", BundleJson.Ids(second)[0]);

        var third = await BundleJson.GetAsync(host.Client, BundleJson.Link(second, "next")!, ct);
        var refused = await BundleJson.GetAsync(host.Client, BundleJson.Link(third, "next")!, ct, HttpStatusCode.BadRequest);
        Assert.Equal("Search offset exceeds maximum (got 300, max 200)", PagingHost.Issue(refused));
    }
}
