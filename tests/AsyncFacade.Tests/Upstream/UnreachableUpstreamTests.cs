using System.Net;
using System.Net.Sockets;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream;

public sealed class UnreachableUpstreamTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication app = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/fhir",
            ["Upstream:ConnectTimeoutSeconds"] = "2",
            ["Upstream:MaxRetries"] = "0",
        }).Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Pass_through_to_an_unreachable_upstream_answers_502_with_a_transient_OperationOutcome()
    {
        using var response = await app.CreateClient().GetAsync("/fhir/Patient?_count=2", ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadGateway, "transient");
    }

    [Fact]
    public async Task Readiness_fails_while_liveness_holds_when_the_upstream_is_down()
    {
        var client = app.CreateClient();

        using var ready = await client.GetAsync("/health/ready", ct);
        using var live = await client.GetAsync("/health/live", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("unreachable", await ready.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Async_request_to_an_unreachable_upstream_finishes_with_a_transient_failure_inside_the_bundle()
    {
        var client = new AsyncClient(app.CreateRawClient());
        var status = await client.KickOffAsync("/fhir/Patient/pat-1");

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(status)));

        Assert.Equal("502 Bad Gateway", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("transient", entry.GetProperty("response").GetProperty("outcome").GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Redirect_result_of_an_unreachable_upstream_replays_a_502()
    {
        var client = new AsyncClient(app.CreateRawClient());
        var status = await client.KickOffAsync("/fhir/Patient/pat-1", "respond-async, async-mode=redirect");
        using var done = await client.WaitAsync(status);

        using var result = await client.Http.GetAsync(done.Headers.Location, ct);

        await FhirAssert.OperationOutcomeAsync(result, HttpStatusCode.BadGateway, "transient");
    }

    [Fact]
    public async Task Metadata_of_an_unreachable_upstream_is_a_502_transient()
    {
        await FhirAssert.OperationOutcomeAsync(await app.CreateRawClient().GetAsync("/fhir/metadata", ct), HttpStatusCode.BadGateway, "transient");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: nothing listens there
    }
}
