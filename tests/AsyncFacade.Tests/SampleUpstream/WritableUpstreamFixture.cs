namespace AsyncFacade.Tests.SampleUpstream;

/// <summary>A small host that tests write to; each test uses its own ids so tests stay independent.</summary>
public sealed class WritableUpstreamFixture : IAsyncLifetime
{
    private SampleUpstreamHost? host;

    public SampleUpstreamHost Host => host ?? throw new InvalidOperationException("The fixture was not initialised.");

    public async ValueTask InitializeAsync() => host = await SampleUpstreamHost.StartAsync(100, seed: 3, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
