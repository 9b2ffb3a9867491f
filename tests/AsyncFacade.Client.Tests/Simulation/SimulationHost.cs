using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Simulation;

/// <summary>The facade in reference-test-server mode (`Simulation:Enabled`): kick-offs pick misbehaviours with `X-Simulate`.</summary>
public sealed class SimulationHost : IAsyncLifetime
{
    public ClientHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = new ClientHost(new Dictionary<string, string?> { ["Simulation:Enabled"] = "true" });
        // Warm up both sides (Firely's model, the first job) so simulated durations are not spent starting up.
        using var client = Host.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        await client.WaitForCompletionAsync(await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct), null, ct);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public static AsyncRequest Simulated(string url, string behaviours) =>
        AsyncRequest.Get(url) with { Headers = new Dictionary<string, string> { ["X-Simulate"] = behaviours } };
}
