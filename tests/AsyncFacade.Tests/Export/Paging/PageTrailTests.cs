using System.Text;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Export.Paging;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>What the copier tells the pager about a page, read in the same single pass that copies it.</summary>
public sealed class PageTrailTests
{
    private static string Observation(string id, string lastUpdated) =>
        $$"""{"resourceType":"Observation","id":"{{id}}","meta":{"versionId":"1","lastUpdated":"{{lastUpdated}}"},"status":"final"}""";

    private static string Page(string links, params string[] resources) =>
        """{"resourceType":"Bundle","type":"searchset","link":""" + links + ""","entry":[""" +
        string.Join(',', resources.Select(r => """{"resource":""" + r + ""","search":{"mode":"match"}}""")) + "]}";

    private static async Task<(BundlePageResult Result, string Output)> CopyAsync(string page, PageTrail trail)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(page));
        using var output = new MemoryStream();
        var result = await BundlePageCopier.CopyAsync(input, output, "Observation", trail, TestContext.Current.CancellationToken);
        return (result, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task The_last_millisecond_and_the_ids_sharing_it_are_reported_with_sub_millisecond_fractions_truncated()
    {
        var trail = new PageTrail();
        var page = Page("[]", Observation("a", "2026-01-01T00:00:00.001Z"), Observation("b", "2026-01-01T01:00:00.0025+01:00"),
            Observation("c", "2026-01-01T00:00:00.002999Z"));

        var (result, _) = await CopyAsync(page, trail);

        Assert.Equal(3, result.Copied);
        Assert.Equal(3, trail.Matches);
        Assert.True(trail.Ascending);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00.001Z").ToUnixTimeMilliseconds(), trail.FirstMs);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00.002Z").ToUnixTimeMilliseconds(), trail.LastMs);
        Assert.Equal(["b", "c"], trail.IdsAtLast());
    }

    [Fact]
    public async Task Entries_already_written_are_left_out_and_counted_as_skipped()
    {
        var trail = new PageTrail(["a", "b"]);
        var page = Page("[]", Observation("a", "2026-01-01T00:00:00.001Z"), Observation("b", "2026-01-01T00:00:00.001Z"),
            Observation("c", "2026-01-01T00:00:00.001Z"));

        var (result, output) = await CopyAsync(page, trail);

        Assert.Equal(1, result.Copied);
        Assert.Equal(2, result.Skipped);
        Assert.Equal(2, trail.AlreadyWritten);
        Assert.Equal(Observation("c", "2026-01-01T00:00:00.001Z") + "\n", output);
        Assert.Equal(["a", "b", "c"], trail.IdsAtLast());
    }

    [Fact]
    public async Task A_page_out_of_lastUpdated_order_or_without_lastUpdated_is_not_ascending()
    {
        var descending = new PageTrail();
        await CopyAsync(Page("[]", Observation("a", "2026-01-01T00:00:00.005Z"), Observation("b", "2026-01-01T00:00:00.001Z")), descending);
        var missing = new PageTrail();
        await CopyAsync(Page("[]", """{"resourceType":"Observation","id":"x"}"""), missing);

        Assert.False(descending.Ascending);
        Assert.False(missing.Ascending);
    }

    [Theory]
    [InlineData("""[{"relation":"self","url":"s"},{"relation":"next","url":"Observation?_getpages=abc&_getpagesoffset=20"}]""", "Observation?_getpages=abc&_getpagesoffset=20")]
    [InlineData("""[{"url":"https://up/fhir/MultipleTypes?ct=eyJ0b2tlbiI6MX0%3D","relation":"next"}]""", "https://up/fhir/MultipleTypes?ct=eyJ0b2tlbiI6MX0%3D")]
    [InlineData("""["not-a-link",{"url":"no relation"},{"relation":"next","url":42},{"relation":"next","url":"Observation?_cursor=x"}]""", "Observation?_cursor=x")]
    [InlineData("""{"relation":"next","url":"not an array"}""", null)]
    public async Task Next_links_of_every_style_are_read_as_given_and_sloppy_links_are_ignored(string links, string? next)
    {
        var (result, _) = await CopyAsync(Page(links, Observation("a", "2026-01-01T00:00:00.001Z")), new PageTrail());

        Assert.Equal(next, result.NextUrl);
    }
}
