using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security.Secrets;

/// <summary>Two facades on one fresh PostgreSQL database and one output directory, with a key-encryption key; node A started first.</summary>
public sealed class TwoNodeSecurityFixture : IAsyncLifetime
{
    public AuthIssuerClientKey Key { get; } = AuthIssuerClientKey.Es384();

    public LogRecorder LogsA { get; } = new();

    public TestPostgres Database { get; private set; } = null!;

    public FacadeApplication NodeA { get; private set; } = null!;

    public FacadeApplication NodeB { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var settings = SharedSecurityNodes.Settings(Key, SharedSecurityNodes.NewKeyEncryptionKey(), SharedSecurityNodes.NewStorage());
        NodeA = SharedSecurityNodes.Start(settings, Database, LogsA);
        NodeB = SharedSecurityNodes.Start(settings, Database, new LogRecorder());
    }

    public async ValueTask DisposeAsync()
    {
        // B first: both share the output directory, which the first to go deletes.
        await NodeB.DisposeAsync();
        await NodeA.DisposeAsync();
        await Database.DisposeAsync();
    }
}
