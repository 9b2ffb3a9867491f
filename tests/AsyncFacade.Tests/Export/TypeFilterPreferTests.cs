using System.Collections.Concurrent;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// The client's `Prefer: handling` reaches the upstream on every page of a filtered search (issue 14 F: before, the job
/// never sent it, so an upstream that applies strict handling page by page was never asked to).
/// </summary>
public sealed class TypeFilterPreferTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? Prefer)> requests = new();
    private SampleUpstreamHost upstream = null!;
    private FacadeApplication facade = null!;

    public async ValueTask InitializeAsync()
    {
        upstream = await SampleUpstreamHost.StartAsync(20, seed: 1, TestContext.Current.CancellationToken, configure: app => app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers["Prefer"].ToString()));
            await next(context);
        }));
        facade = new FacadeApplication(new Dictionary<string, string?> { ["Upstream:BaseUrl"] = upstream.BaseUrl, ["Export:PageSize"] = "50" }).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await facade.DisposeAsync();
        await upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("respond-async", "handling=strict")]
    [InlineData("respond-async, handling=lenient", "handling=lenient")]
    public async Task Every_page_of_a_filtered_search_carries_the_handling_and_unfiltered_searches_none(string prefer, string expected)
    {
        using var http = facade.CreateRawClient();
        var filter = Uri.EscapeDataString("Observation?patient=pat-1,pat-2,pat-3,pat-4,pat-5");
        var status = await new AsyncClient(http).KickOffAsync($"/fhir/$export?_type=Observation,Patient&_typeFilter={filter}", prefer);
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);
        Assert.Equal(60, manifest.GetProperty("output").EnumerateArray().Where(o => o.GetProperty("type").GetString() == "Observation").Sum(o => o.GetProperty("count").GetInt64()));

        var observationPages = requests.Where(r => r.Path.Contains("/Observation?", StringComparison.Ordinal) && r.Path.Contains("patient=", StringComparison.Ordinal)
            && !r.Path.Contains("_count=1&", StringComparison.Ordinal) && !r.Path.EndsWith("_count=1", StringComparison.Ordinal)
            && !r.Path.Contains("_summary", StringComparison.Ordinal) && !r.Path.Contains("_total", StringComparison.Ordinal)).ToList();
        Assert.True(observationPages.Count >= 2, string.Join("\n", requests.Select(r => r.Path))); // 60 resources in pages of 50
        Assert.All(observationPages, page => Assert.Equal(expected, page.Prefer));
        Assert.All(requests.Where(r => r.Path.Contains("/Patient?", StringComparison.Ordinal)), page => Assert.Equal("", page.Prefer));
    }
}
