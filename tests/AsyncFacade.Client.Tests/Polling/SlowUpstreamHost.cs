using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Polling;

/// <summary>A facade whose upstream takes 2 s per request, so an async interaction stays running for a few polls.</summary>
public sealed class SlowUpstreamHost : IAsyncLifetime
{
    public const int LatencyMilliseconds = 2000;

    public ClientHost Host { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Host = new ClientHost(new Dictionary<string, string?> { ["SampleUpstream:LatencyMilliseconds"] = LatencyMilliseconds.ToString() });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
