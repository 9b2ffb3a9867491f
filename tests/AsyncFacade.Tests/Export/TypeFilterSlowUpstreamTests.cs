using System.Diagnostics;
using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>The kick-off's `_typeFilter` check never holds a client for as long as a slow upstream takes: it gives up after 10 s.</summary>
public sealed class TypeFilterSlowUpstreamTests : IAsyncLifetime
{
    private FacadeApplication facade = null!;

    public ValueTask InitializeAsync()
    {
        // Every Observation search takes 30 s; metadata answers at once.
        facade = new FacadeApplication(new Dictionary<string, string?> { ["SampleUpstream:Faults"] = "slow;ms=30000;path=Observation" }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await facade.DisposeAsync();

    [Fact]
    public async Task A_strict_filter_check_against_a_slow_upstream_gives_up_and_accepts_the_kick_off()
    {
        using var http = facade.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Observation&_typeFilter=" + Uri.EscapeDataString("Observation?_id=obs-1"));
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        var watch = Stopwatch.StartNew();

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(response.Content.Headers.ContentLocation, TestContext.Current.CancellationToken)).StatusCode);
    }
}
