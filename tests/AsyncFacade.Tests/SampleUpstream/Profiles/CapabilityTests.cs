using System.Net;
using System.Text.Json;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>What the CapabilityStatement claims against what search does: listed-but-unsearchable types, advertised _total.</summary>
public sealed class CapabilityTests
{
    [Fact]
    public async Task An_unsearchable_type_stays_listed_with_search_type_but_its_search_answers_400()
    {
        await using var host = await PagingHost.StartAsync(5, ("Paging:UnsearchableTypes:0", "Binary"));
        var ct = TestContext.Current.CancellationToken;

        var refused = await BundleJson.GetAsync(host.Client, "Binary?_count=10", ct, HttpStatusCode.BadRequest);
        Assert.Equal("invalid", BundleJson.IssueCode(refused));
        Assert.Equal("Cannot search on Binary resource type", PagingHost.Issue(refused));
        await BundleJson.GetAsync(host.Client, "Binary/_search", ct, HttpStatusCode.BadRequest);

        var binary = Resource(await BundleJson.GetAsync(host.Client, "metadata", ct), "Binary");
        Assert.Contains("search-type", binary.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        await BundleJson.GetAsync(host.Client, "Observation?_count=1", ct);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_CapabilityStatement_lists_total_only_when_told_to(bool advertise)
    {
        await using var host = await PagingHost.StartAsync(5, ("Paging:AdvertiseTotal", advertise ? "true" : "false"));
        var observation = Resource(await BundleJson.GetAsync(host.Client, "metadata", TestContext.Current.CancellationToken), "Observation");
        var parameters = observation.GetProperty("searchParam").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(advertise, parameters.Contains("_total"));
        Assert.Contains("_lastUpdated", parameters);
    }

    private static JsonElement Resource(JsonElement statement, string type) =>
        statement.GetProperty("rest")[0].GetProperty("resource").EnumerateArray().Single(r => r.GetProperty("type").GetString() == type);
}
