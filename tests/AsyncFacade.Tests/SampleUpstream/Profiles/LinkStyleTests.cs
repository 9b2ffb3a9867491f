namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>Every link style pages the same matches: each id once, filters kept, self links that give the same page back.</summary>
public sealed class LinkStyleTests
{
    private const int Patients = 50; // 600 Observations

    public static TheoryData<string> Styles => ["Cursor", "Offset", "ContinuationToken", "PageCache", "OtherPath", "Page"];

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Following_next_links_returns_every_filtered_id_exactly_once(string style)
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", style), ("Paging:PageCacheSeconds", "600"));
        var from = PagingHost.Ms("2024-07-01T00:00:00Z");
        var to = PagingHost.Ms("2025-07-01T00:00:00Z");

        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_lastUpdated=ge2024-07-01&_lastUpdated=lt2025-07-01&_count=40");
        var ids = pages.SelectMany(BundleJson.Ids).ToList();

        var expected = PagingHost.ObservationIds(Patients, from, to);
        Assert.True(expected.Count > 200, "the window must span several pages");
        Assert.Equal(expected, ids);
        Assert.Equal((expected.Count + 39) / 40, pages.Count);
        foreach (var next in pages.Select(p => BundleJson.Link(p, "next")).OfType<string>())
        {
            if (style == "PageCache")
            {
                // HAPI keeps the filters server-side: the link names the kept search, at the base URL.
                Assert.StartsWith(host.BaseUrl + "?_getpages=", next);
                Assert.Contains("&_getpagesoffset=", next);
                Assert.EndsWith("&_bundletype=searchset", next);
            }
            else
            {
                Assert.StartsWith(host.BaseUrl + (style == "OtherPath" ? "/MultipleTypes?_type=Observation&" : "/Observation?"), next);
                Assert.Contains("_lastUpdated=ge2024-07-01", next);
                Assert.Contains("_lastUpdated=lt2025-07-01", next);
                Assert.Contains("_count=40", next);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Every_self_link_answers_the_page_it_names(string style)
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", style));
        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_count=100&_sort=_lastUpdated");

        Assert.Equal(6, pages.Count);
        foreach (var page in pages)
        {
            var self = BundleJson.Link(page, "self")!;
            Assert.StartsWith(host.BaseUrl, self);
            var again = await BundleJson.GetAsync(host.Client, self, TestContext.Current.CancellationToken);
            Assert.Equal(BundleJson.Ids(page), BundleJson.Ids(again));
        }
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Patient_and_id_filters_survive_every_page(string style)
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", style));

        var byPatient = await PagingHost.FollowAsync(host.Client, "Observation?patient=pat-3,pat-5&_count=5");
        var ids = byPatient.SelectMany(BundleJson.Ids).ToList();
        Assert.Equal([.. Enumerable.Range(36, 12).Concat(Enumerable.Range(60, 12)).Select(i => $"obs-{i}")], ids);

        var byId = await PagingHost.FollowAsync(host.Client, "Observation?_id=obs-1,obs-2,obs-300,obs-301,obs-599,nope&_count=2");
        Assert.Equal(["obs-1", "obs-2", "obs-300", "obs-301", "obs-599"], byId.SelectMany(BundleJson.Ids));
        Assert.Equal(3, byId.Count);
    }

    [Fact]
    public async Task Offset_links_name_the_offset_on_the_searched_path_and_other_path_links_name_MultipleTypes()
    {
        await using (var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "Offset")))
        {
            var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", TestContext.Current.CancellationToken);
            Assert.Equal($"{host.BaseUrl}/Observation?_count=100&_offset=100", BundleJson.Link(first, "next"));
        }
        await using (var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "OtherPath")))
        {
            var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", TestContext.Current.CancellationToken);
            Assert.Equal($"{host.BaseUrl}/MultipleTypes?_type=Observation&_count=100&_offset=100", BundleJson.Link(first, "next"));
        }
        await using (var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "Offset"), ("Paging:OffsetParameter", "_skip")))
        {
            var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", TestContext.Current.CancellationToken);
            Assert.Equal($"{host.BaseUrl}/Observation?_count=100&_skip=100", BundleJson.Link(first, "next"));
        }
    }

    [Fact]
    public async Task Continuation_tokens_are_opaque_and_an_edited_one_is_refused()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "ContinuationToken"));
        var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", TestContext.Current.CancellationToken);
        var next = BundleJson.Link(first, "next")!;
        Assert.Contains("&ct=", next);
        Assert.DoesNotContain("_cursor", next);

        var refused = await BundleJson.GetAsync(host.Client, next[..^2] + "AA", TestContext.Current.CancellationToken, System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("invalid", BundleJson.IssueCode(refused));
    }

    [Fact]
    public async Task Offset_paging_shifts_when_a_resource_before_the_offset_is_rewritten()
    {
        // The real-world hazard of offset links: an update moves a row from its place to the end of the order, so the
        // rows after it move up by one and the next page, asked by offset, skips one of them.
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "Offset"));
        var ct = TestContext.Current.CancellationToken;
        var first = await BundleJson.GetAsync(host.Client, "Observation?_count=100", ct);
        Assert.Equal("obs-99", BundleJson.Ids(first)[^1]);

        var rewritten = await BundleJson.GetAsync(host.Client, "Observation/obs-5", ct);
        await BundleJson.SendAsync(host.Client, HttpMethod.Put, "Observation/obs-5", rewritten.GetRawText(), ct, System.Net.HttpStatusCode.OK);
        var second = await BundleJson.GetAsync(host.Client, BundleJson.Link(first, "next")!, ct);

        Assert.Equal("obs-101", BundleJson.Ids(second)[0]); // obs-100 slid onto the first page
        var rest = await PagingHost.FollowAsync(host.Client, BundleJson.Link(second, "next")!);
        Assert.Equal("obs-5", rest.SelectMany(BundleJson.Ids).Last());
    }
}
