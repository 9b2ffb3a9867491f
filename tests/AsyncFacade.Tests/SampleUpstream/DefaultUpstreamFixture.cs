namespace AsyncFacade.Tests.SampleUpstream;

/// <summary>One default-sized host (1000 patients, seed 1) shared by a test class that never writes to it.</summary>
public sealed class DefaultUpstreamFixture : IAsyncLifetime
{
    public const int Patients = 1000;

    private SampleUpstreamHost? host;

    public SampleUpstreamHost Host => host ?? throw new InvalidOperationException("The fixture was not initialised.");

    public async ValueTask InitializeAsync() => host = await SampleUpstreamHost.StartAsync(Patients, seed: 1, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
