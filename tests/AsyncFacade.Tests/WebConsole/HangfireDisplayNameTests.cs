using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>Hangfire's dashboard names each job after what it does (<see cref="JobLabel"/>), not `JobRunner.RunAsync`.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HangfireDisplayNameTests(PostgresFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_and_its_units_show_readable_names_in_the_dashboard()
    {
        var client = new AsyncClient(http);
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "fhir/$export?_type=Patient");
        kickOff.Headers.Accept.ParseAdd("application/fhir+json");
        var id = (await client.KickOffAsync(kickOff)).Split('/').Last();
        (await client.WaitAsync($"fhir/_async/{id}")).Dispose();

        var (exportRun, export) = await Eventually.WaitForAsync(() => Task.FromResult(FindHangfireJob(id)), found => found.Job is not null, what: "the export's Hangfire job");
        var (_, unit) = await Eventually.WaitForAsync(() => Task.FromResult(FindHangfireJob(id + "-0")), found => found.Job is not null, what: "the unit's Hangfire job");

        Assert.Equal($"$export system {id}", export!.Args[0]);
        Assert.Equal($"$export unit Patient {id}-0", unit!.Args[0]);
        Assert.Equal("{0}", export.Method.GetCustomAttributes(typeof(JobDisplayNameAttribute), false).Cast<JobDisplayNameAttribute>().Single().DisplayName);
        // What an operator sees: the job's page on the dashboard carries the name.
        using var page = await http.GetAsync($"hangfire/jobs/details/{exportRun}", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode($"$export system {id}"), await page.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task An_interaction_is_named_by_method_and_path_without_its_query()
    {
        var statusUrl = await new AsyncClient(http).KickOffAsync("fhir/Patient?name=smith&_count=5");
        var id = statusUrl.Split('/').Last();

        var (_, job) = await Eventually.WaitForAsync(() => Task.FromResult(FindHangfireJob(id)), found => found.Job is not null, what: "the Hangfire job");

        Assert.Equal($"GET Patient?… {id}", job!.Args[0]);
    }

    [Fact]
    public async Task A_job_enqueued_with_the_old_unlabelled_signature_still_runs()
    {
        // What a Hangfire queue in PostgreSQL holds after an upgrade: RunAsync(jobId, token), enqueued by the previous version.
        var store = fixture.App.GetRequiredService<IJobStore>();
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"), Owner = "upgrade", Kind = TestJobHandlers.Echo,
            Request = new JobRequest("GET", "Patient/legacy", JobRequest.NoHeaders), CreatedAt = now, UpdatedAt = now,
        };
        await store.CreateAsync(job, ct);

        fixture.App.GetRequiredService<IBackgroundJobClient>().Enqueue<JobRunner>(runner => runner.RunAsync(job.Id, CancellationToken.None));

        var done = await Eventually.WaitForAsync(() => store.GetAsync(job.Id, ct), j => j!.State.IsTerminal(), what: "the legacy job to finish");
        Assert.Equal(JobState.Completed, done!.State);
        Assert.Equal(1, TestJobHandlers.Runs(job.Id));
    }

    /// <summary>The Hangfire job that runs a job record, wherever it is (enqueued, processing, succeeded), via the monitoring API.</summary>
    private (string? Id, Job? Job) FindHangfireJob(string jobId)
    {
        var monitoring = fixture.App.GetRequiredService<JobStorage>().GetMonitoringApi();
        var candidates = monitoring.SucceededJobs(0, 1000).Select(j => (j.Key, j.Value.Job))
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => (j.Key, j.Value.Job)))
            .Concat(monitoring.EnqueuedJobs("default", 0, 1000).Select(j => (j.Key, j.Value.Job)));
        foreach (var (key, job) in candidates)
        {
            if (job is { Args.Count: 3 } && job.Args[1] as string == jobId)
            {
                return (key, job);
            }
        }
        return (null, null);
    }
}
