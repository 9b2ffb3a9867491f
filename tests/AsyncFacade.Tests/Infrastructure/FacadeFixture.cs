using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>One started facade per test collection (or class), on the chosen store.</summary>
/// <param name="settings">Extra configuration, as for <see cref="FacadeApplication"/>.</param>
/// <param name="configureServices">Extra test services, e.g. a recording ILoggerProvider.</param>
public abstract class FacadeFixture(FacadeStore store, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    : IAsyncLifetime
{
    private TestPostgres? database;

    public FacadeStore Store => store;

    public FacadeApplication App { get; private set; } = null!;

    public TestPostgres Database => database ?? throw new InvalidOperationException("This fixture runs in memory.");

    /// <summary>A client that shows the raw protocol: redirects (303) are not followed.</summary>
    public HttpClient CreateClient() => App.CreateRawClient();

    public async ValueTask InitializeAsync()
    {
        if (store == FacadeStore.Postgres)
        {
            database = await TestPostgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        }
        App = new FacadeApplication(settings, database?.ConnectionString, configureServices).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}

public sealed class InMemoryFacade() : FacadeFixture(FacadeStore.InMemory);

public sealed class PostgresFacade() : FacadeFixture(FacadeStore.Postgres);

[CollectionDefinition(Name)]
public sealed class InMemoryCollection : ICollectionFixture<InMemoryFacade>
{
    public const string Name = "In-memory facade";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFacade>
{
    public const string Name = "PostgreSQL facade";
}

/// <summary>A host whose sample data no test writes to, for tests that count exported resources exactly.</summary>
public sealed class ReadOnlyDataFacade() : FacadeFixture(FacadeStore.InMemory);

[CollectionDefinition(Name)]
public sealed class ReadOnlyDataCollection : ICollectionFixture<ReadOnlyDataFacade>
{
    public const string Name = "Facade with untouched sample data";
}
