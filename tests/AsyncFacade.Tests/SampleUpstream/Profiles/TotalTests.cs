using System.Net;

namespace AsyncFacade.Tests.SampleUpstream.Profiles;

/// <summary>When Bundle.total is given (TotalSupport), <c>_summary=count</c>, and which <c>_sort</c> values are accepted.</summary>
public sealed class TotalTests
{
    private const int Patients = 20; // 240 Observations

    [Theory]
    [InlineData("OnRequest", "Observation?_count=10", null)]
    [InlineData("OnRequest", "Observation?_count=0", 240L)]
    [InlineData("OnRequest", "Observation?_count=10&_total=accurate", 240L)]
    [InlineData("Explicit", "Observation?_count=0", null)]
    [InlineData("Explicit", "Observation?_count=10&_total=estimate", 240L)]
    [InlineData("Always", "Observation?_count=10", 240L)]
    [InlineData("Always", "Observation?_count=10&_total=none", null)]
    [InlineData("Never", "Observation?_count=0", null)]
    [InlineData("Never", "Observation?_count=10&_total=accurate", null)]
    [InlineData("Never", "Observation?_summary=count", 240L)]
    public async Task Bundle_total_appears_exactly_when_the_mode_says(string mode, string url, long? total)
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:Total", mode));
        var page = await BundleJson.GetAsync(host.Client, url, TestContext.Current.CancellationToken);
        Assert.Equal(total, page.TryGetProperty("total", out var value) ? value.GetInt64() : null);
    }

    [Fact]
    public async Task Summary_count_answers_a_searchset_with_the_filtered_total_and_no_entries()
    {
        await using var host = await PagingHost.StartAsync(Patients);
        var page = await BundleJson.GetAsync(host.Client, "Observation?patient=pat-1&_summary=count", TestContext.Current.CancellationToken);
        Assert.Equal("searchset", page.GetProperty("type").GetString());
        Assert.Equal(12, page.GetProperty("total").GetInt64());
        Assert.False(page.TryGetProperty("entry", out _));
        Assert.Null(BundleJson.Link(page, "next"));
    }

    [Fact]
    public async Task Without_summary_count_support_it_is_an_ignored_parameter_or_under_strict_handling_a_400()
    {
        await using var host = await PagingHost.StartAsync(Patients, ("Paging:SummaryCount", "false"));
        var ct = TestContext.Current.CancellationToken;
        var page = await BundleJson.GetAsync(host.Client, "Observation?_summary=count&_count=5", ct);
        Assert.Equal(5, BundleJson.Ids(page).Count);
        Assert.False(page.TryGetProperty("total", out _));

        using var strict = new HttpRequestMessage(HttpMethod.Get, "Observation?_summary=count");
        strict.Headers.Add("Prefer", "handling=strict");
        using var response = await host.Client.SendAsync(strict, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_sort_outside_the_accepted_list_is_refused_or_under_IgnoreUnknownSort_ignored_unless_strict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var host = await PagingHost.StartAsync(Patients))
        {
            var refused = await BundleJson.GetAsync(host.Client, "Observation?_sort=status", ct, HttpStatusCode.BadRequest);
            Assert.Equal("not-supported", BundleJson.IssueCode(refused));
        }
        await using (var host = await PagingHost.StartAsync(Patients, ("Paging:IgnoreUnknownSort", "true")))
        {
            var page = await BundleJson.GetAsync(host.Client, "Observation?_sort=status&_count=3", ct);
            Assert.Equal(["obs-0", "obs-1", "obs-2"], BundleJson.Ids(page));

            using var strict = new HttpRequestMessage(HttpMethod.Get, "Observation?_sort=status");
            strict.Headers.Add("Prefer", "handling=strict");
            using var response = await host.Client.SendAsync(strict, ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
