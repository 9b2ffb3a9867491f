using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

public sealed class CancelAbortsUpstreamTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private GateUpstream upstream = null!;
    private FacadeApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        upstream = await GateUpstream.StartAsync(ct);
        app = new FacadeApplication(new Dictionary<string, string?> { ["Upstream:BaseUrl"] = upstream.BaseUrl }).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await upstream.DisposeAsync();
    }

    [Fact]
    public async Task Cancelling_an_async_interaction_aborts_its_upstream_call_within_a_second()
    {
        var client = new AsyncClient(app.CreateRawClient());
        var status = await client.KickOffAsync("/fhir/Patient/slow");
        await Eventually.WaitForAsync(() => Task.FromResult(upstream.Requests), n => n == 1, TimeSpan.FromSeconds(10), "the upstream call");

        var cancelledAt = DateTime.UtcNow;
        using var cancel = await client.Http.DeleteAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await upstream.FirstRequestAborted.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.True(DateTime.UtcNow - cancelledAt < TimeSpan.FromSeconds(1.5), "the upstream call outlived the cancel");
        Assert.Equal(1, upstream.Requests);
    }
}
