using System.Net;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>Medplum's offset cap (400 past it) and its cursor pagination for <c>_sort=_lastUpdated</c>, which has none.</summary>
public sealed class OffsetCapTests
{
    private const int Patients = 50; // 600 Observations

    private static Task<SampleUpstreamHost> StartAsync(params (string, string)[] more) =>
        PagingHost.StartAsync(Patients, [("Paging:LinkStyle", "Offset"), ("Paging:MaxOffset", "300"), .. more]);

    [Fact]
    public async Task An_offset_past_the_cap_answers_400_with_Medplums_OperationOutcome()
    {
        await using var host = await StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var pages = new List<System.Text.Json.JsonElement>();
        string? next = "Observation?_count=100";
        while (next is not null && !next.Contains("_offset=400", StringComparison.Ordinal))
        {
            pages.Add(await BundleJson.GetAsync(host.Client, next, ct));
            next = BundleJson.Link(pages[^1], "next");
        }
        Assert.Equal(4, pages.Count); // offsets 0, 100, 200 and 300 (the cap itself is allowed, as Medplum's `>` check)
        Assert.Equal(400, pages.SelectMany(BundleJson.Ids).Distinct().Count());

        var refused = await BundleJson.GetAsync(host.Client, next!, ct, HttpStatusCode.BadRequest);
        Assert.Equal("invalid", BundleJson.IssueCode(refused));
        Assert.Equal("Search offset exceeds maximum (got 400, max 300)", PagingHost.Issue(refused));
    }

    [Fact]
    public async Task Sorted_by_lastUpdated_the_server_gives_cursor_links_that_page_past_the_cap()
    {
        await using var host = await StartAsync(("Paging:CursorWhenSorted", "true"));

        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_count=100&_sort=_lastUpdated");

        Assert.Equal(PagingHost.ObservationIds(Patients), pages.SelectMany(BundleJson.Ids));
        Assert.All(pages.Select(p => BundleJson.Link(p, "next")).OfType<string>(), next =>
        {
            Assert.Contains("_cursor=", next);
            Assert.DoesNotContain("_offset", next);
            Assert.Contains("_sort=_lastUpdated", next);
        });
    }

    [Theory]
    [InlineData("Observation?_count=100")]                          // not sorted
    [InlineData("Observation?_count=19&_sort=_lastUpdated")]        // Medplum wants pages of at least 20 for cursors
    [InlineData("Observation?_count=100&_sort=_lastUpdated,_id")]   // one sort rule only
    public async Task Without_a_plain_lastUpdated_sort_and_a_page_of_20_the_links_stay_offset_links(string first)
    {
        await using var host = await StartAsync(("Paging:CursorWhenSorted", "true"), ("Paging:SortParameters:1", "_id"));
        var page = await BundleJson.GetAsync(host.Client, first, TestContext.Current.CancellationToken);
        Assert.Contains("_offset=", BundleJson.Link(page, "next"));
    }

    [Fact]
    public async Task A_sorted_cursor_page_all_in_one_millisecond_fails_to_make_progress_as_Medplum_does()
    {
        await using var host = await StartAsync(("Paging:CursorWhenSorted", "true"), ("Paging:LastUpdatedBurst", "200"));

        var refused = await BundleJson.GetAsync(host.Client, "Observation?_count=100&_sort=_lastUpdated", TestContext.Current.CancellationToken, HttpStatusCode.InternalServerError);

        Assert.Equal("exception", BundleJson.IssueCode(refused));
        Assert.Equal("Cursor fails to make progress", PagingHost.Issue(refused));
    }

    [Fact]
    public async Task Page_number_links_honour_the_cap_on_the_offset_they_mean()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "Page"), ("Paging:MaxOffset", "300"));
        var ct = TestContext.Current.CancellationToken;
        var fourth = await BundleJson.GetAsync(host.Client, "Observation?_count=100&_page=4", ct);
        Assert.Equal("obs-300", BundleJson.Ids(fourth)[0]);
        Assert.EndsWith("_count=100&_page=5", BundleJson.Link(fourth, "next"));

        var refused = await BundleJson.GetAsync(host.Client, BundleJson.Link(fourth, "next")!, ct, HttpStatusCode.BadRequest);
        Assert.Equal("Search offset exceeds maximum (got 400, max 300)", PagingHost.Issue(refused));
    }

    [Fact]
    public async Task A_count_above_the_cap_is_silently_lowered_and_paging_goes_on_in_capped_pages()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:LinkStyle", "Offset"), ("MaxPageSize", "250"), ("DefaultPageSize", "20"));
        var ct = TestContext.Current.CancellationToken;

        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_count=5000");

        Assert.Equal([250, 250, 100], pages.Select(p => BundleJson.Ids(p).Count));
        Assert.EndsWith("_count=5000&_offset=250", BundleJson.Link(pages[0], "next"));
        Assert.Equal(20, BundleJson.Ids(await BundleJson.GetAsync(host.Client, "Observation", ct)).Count);
    }
}
