using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Jobs;

/// <summary>
/// The maintenance loop of a running facade, with a one-second grace and interval so its sweeps can be watched: expired
/// jobs go with their files as before, orphaned prefixes go, live jobs' files stay. Own host per store.
/// </summary>
public sealed class JobMaintenanceTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(FacadeStore.InMemory)]
    [InlineData(FacadeStore.Postgres)]
    public async Task Maintenance_removes_expired_jobs_with_their_files_and_orphaned_prefixes_but_keeps_live_jobs(FacadeStore kind)
    {
        await using var database = kind == FacadeStore.Postgres ? await TestPostgres.CreateDatabaseAsync(ct) : null;
        await using var app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Jobs:OrphanGrace"] = "00:00:01",
            ["Jobs:MaintenanceIntervalSeconds"] = "1",
        }, database?.ConnectionString).Start();
        var jobs = app.GetRequiredService<IJobStore>();
        var output = app.GetRequiredService<IOutputStore>();
        var live = NewJob();
        var expired = NewJob() with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        var orphan = Guid.NewGuid().ToString("N");
        foreach (var job in new[] { live, expired })
        {
            await jobs.CreateAsync(job, ct);
            await WriteAsync(output, job.Id);
        }
        await WriteAsync(output, orphan);

        await Eventually.WaitForAsync(() => Task.FromResult(Exists(app, orphan) || Exists(app, expired.Id)), gone => !gone,
            TimeSpan.FromSeconds(20), "the orphaned and the expired prefix to be removed");

        Assert.Null(await jobs.GetAsync(expired.Id, ct));
        Assert.True(Exists(app, live.Id));
        Assert.NotNull(await jobs.GetAsync(live.Id, ct));
    }

    private static bool Exists(FacadeApplication app, string id) => Directory.Exists(Path.Combine(app.OutputDirectory, id));

    private async Task WriteAsync(IOutputStore output, string id)
    {
        await using var writer = await output.CreateAsync(id + "/files/Patient-1.ndjson", ct);
        await writer.Content.WriteAsync("{}\n"u8.ToArray(), ct);
        await writer.CommitAsync(ct);
    }

    private static JobRecord NewJob()
    {
        var id = Guid.NewGuid().ToString("N");
        return new JobRecord
        {
            Id = id,
            Owner = "client-" + id[..8],
            Kind = TestJobHandlers.Echo,
            State = JobState.Completed,
            Request = new JobRequest("GET", "Patient?_count=1", new Dictionary<string, string>()),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        };
    }
}
