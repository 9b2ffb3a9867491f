namespace AsyncFacade.Tests.Import.Writes;

/// <summary>
/// The NDJSON source host the write tests import from; each test starts its own upstream with the write quirks (or
/// profile) it is about, and a facade in front of it (<see cref="QuirkyTarget"/>).
/// </summary>
public sealed class WritesFixture : IAsyncLifetime
{
    public NdjsonSourceHost Sources { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Sources = await NdjsonSourceHost.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Sources.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class WritesCollection : ICollectionFixture<WritesFixture>
{
    public const string Name = "Import writes against upstreams whose batch answers say little";
}
