using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Health;

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryHealthTests(InMemoryFacade fixture)
{
    [Fact]
    public async Task Live_and_ready_pass_on_the_embedded_default()
    {
        var client = fixture.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var live = await client.GetAsync("/health/live", ct);
        var ready = await FhirAssert.JsonAsync(await client.GetAsync("/health/ready", ct));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("upstream").GetProperty("status").GetString());
        Assert.False(ready.GetProperty("checks").TryGetProperty("postgres", out _));
    }
}

/// <summary>Own host and database: this test takes PostgreSQL away from the app.</summary>
public sealed class PostgresHealthTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;
    private FacadeApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync(ct);
        app = new FacadeApplication(postgres: database.ConnectionString).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await database.RestoreAsync(CancellationToken.None);
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Losing_PostgreSQL_fails_readiness_but_not_liveness()
    {
        var client = app.CreateClient();
        var before = await FhirAssert.JsonAsync(await client.GetAsync("/health/ready", ct));
        Assert.Equal("Healthy", Check(before, "postgres"));

        await database.CutOffAsync(ct);

        var after = await FhirAssert.JsonAsync(await client.GetAsync("/health/ready", ct), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", Check(after, "postgres"));
        Assert.Equal("Healthy", Check(after, "upstream"));
        using var live = await client.GetAsync("/health/live", ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static string? Check(JsonElement report, string name) =>
        report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();
}
