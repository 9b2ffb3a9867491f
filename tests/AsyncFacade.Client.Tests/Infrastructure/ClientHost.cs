using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Infrastructure;

/// <summary>A started facade (real Kestrel, embedded sample upstream) and clients for it with test-sized delays.</summary>
public sealed class ClientHost(IDictionary<string, string?>? settings = null) : IAsyncDisposable
{
    public FacadeApplication App { get; } = new FacadeApplication(settings).Start();

    public Uri FhirBase => new(App.ServerAddress, "fhir");

    /// <summary>Options that keep tests quick: back-off from 0.2 s, capped at 2 s; long polling off unless a test turns it on.</summary>
    public static FhirAsyncClientOptions FastOptions() => new()
    {
        InitialPollDelay = TimeSpan.FromMilliseconds(200),
        MaxPollDelay = TimeSpan.FromSeconds(2),
        LongPolling = FeatureUse.Never,
        UseCallbacks = FeatureUse.Never,
    };

    public FhirAsyncClient CreateClient(FhirAsyncClientOptions? options = null, HttpMessageHandler? handler = null) =>
        new(FhirBase, options ?? FastOptions(), handler);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
