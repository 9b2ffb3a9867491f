using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>Results are kept for Async:ResultTtl, then the recurring clean-up removes the job and its files.</summary>
public abstract class AsyncExpiryContract(FacadeStore store) : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres? database;
    private FacadeApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        database = store == FacadeStore.Postgres ? await TestPostgres.CreateDatabaseAsync(ct) : null;
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Async:ResultTtl"] = "00:00:02",
            ["Jobs:MaintenanceIntervalSeconds"] = "1",
        }, database?.ConnectionString).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Finished_job_answers_until_it_expires_then_404_and_its_files_are_gone()
    {
        var client = new AsyncClient(app.CreateRawClient());
        var status = await client.KickOffAsync("/fhir/Patient/pat-1");
        using (var done = await client.WaitAsync(status))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.InRange(done.Content.Headers.Expires!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(3));
        }
        var files = Path.Combine(app.OutputDirectory, status.Split('/')[^1]);
        Assert.True(Directory.Exists(files));

        var gone = await Eventually.WaitForAsync(async () => (await client.Http.GetAsync(status, ct)).StatusCode,
            code => code == HttpStatusCode.NotFound, TimeSpan.FromSeconds(10), "the job to expire");

        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.False(Directory.Exists(files));
    }
}

public sealed class InMemoryAsyncExpiryTests() : AsyncExpiryContract(FacadeStore.InMemory);

public sealed class PostgresAsyncExpiryTests() : AsyncExpiryContract(FacadeStore.Postgres);
