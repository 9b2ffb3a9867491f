using System.Net;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>Each named profile starts and pages a type with more resources than its caps (12,000 Observations).</summary>
public sealed class NamedProfileTests
{
    private const int Patients = 1000;

    [Theory]
    [InlineData("medplum", 20, 1000, "_cursor=")]
    [InlineData("hapi", 20, 200, "_getpages=")]
    [InlineData("microsoft", 10, 1000, "ct=")]
    [InlineData("firely", 10, 50, "_skip=")]
    [InlineData("aidbox", 100, 1000, "_page=")]
    public async Task The_profile_pages_every_observation_once_with_its_page_sizes_and_link_style(string profile, int defaultSize, int maxSize, string linkMarker)
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Profile", profile));
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(defaultSize, BundleJson.Ids(await BundleJson.GetAsync(host.Client, "Observation", ct)).Count);

        // Medplum needs the sort for cursor links; the others page the same with it or without it.
        var pages = await PagingHost.FollowAsync(host.Client, "Observation?_count=5000&_sort=_lastUpdated", maxPages: 400);

        Assert.Equal(PagingHost.ObservationIds(Patients), pages.SelectMany(BundleJson.Ids));
        Assert.Equal(maxSize, BundleJson.Ids(pages[0]).Count);
        Assert.Contains(linkMarker, BundleJson.Link(pages[0], "next"));
    }

    [Fact]
    public async Task Medplum_unsorted_offset_paging_stops_at_its_10000_offset_cap_and_refuses_Binary()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Profile", "medplum"));
        var ct = TestContext.Current.CancellationToken;

        var served = 0;
        string? next = "Observation?_count=1000";
        System.Text.Json.JsonElement page;
        while (true)
        {
            using var response = await host.Client.GetAsync(next, ct);
            page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                break;
            }
            served += BundleJson.Ids(page).Count;
            next = BundleJson.Link(page, "next");
            Assert.NotNull(next);
        }

        Assert.Equal(11_000, served); // the issue's symptom: exactly 11,000 of 12,000
        Assert.Equal("Search offset exceeds maximum (got 11000, max 10000)", PagingHost.Issue(page));
        var binary = await BundleJson.GetAsync(host.Client, "Binary", ct, HttpStatusCode.BadRequest);
        Assert.Equal("Cannot search on Binary resource type", PagingHost.Issue(binary));
        var counted = await BundleJson.GetAsync(host.Client, "Observation?_count=0", ct);
        Assert.False(counted.TryGetProperty("total", out _)); // Medplum counts only when asked with _total or _summary=count
        Assert.Equal(12_000, (await BundleJson.GetAsync(host.Client, "Observation?_summary=count", ct)).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_unknown_profile_name_stops_the_host_from_starting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => PagingHost.StartAsync(1, ("Profile", "nope")));
        Assert.Contains("SampleUpstream:Profile", failure.Message);
    }
}
