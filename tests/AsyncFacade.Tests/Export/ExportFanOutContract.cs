using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// An export is planned as units (types; time slices of a large type) that run as their own jobs. One Hangfire worker
/// only: an export that held its worker while waiting for its units would never finish.
/// </summary>
public abstract partial class ExportFanOutContract(FacadeStore store) : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres? database;
    private FacadeApplication app = null!;
    private HttpClient http = null!;

    public async ValueTask InitializeAsync()
    {
        if (store == FacadeStore.Postgres)
        {
            database = await TestPostgres.CreateDatabaseAsync(ct);
        }
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = "300",   // 3,600 Observations
            ["Export:SliceSize"] = "1000",         // Observation in about four slices
            ["Export:MaxParallelism"] = "3",
            ["Export:PageSize"] = "50",
            ["SampleUpstream:LatencyMilliseconds"] = "10", // ~100 pages: long enough to be seen (and cancelled) running
            ["Jobs:WorkerCount"] = "1",
            ["Async:ThrottleOverPolling"] = "false", // these tests poll fast to see the export midway
        }, database?.ConnectionString).Start();
        http = app.CreateRawClient();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_large_type_is_exported_in_time_slices_with_every_resource_exactly_once()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Observation,Patient");
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var manifest = await FhirAssert.JsonAsync(done);

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["Observation", "Patient"], outputs.Select(o => o.GetProperty("type").GetString()).Distinct());
        var parts = outputs.Select(o => o.GetProperty("url").GetString()!).Where(u => u.Contains("/Observation-part", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count >= 3, "Observation was not split: " + string.Join(", ", parts));

        var ids = new Dictionary<string, HashSet<string>> { ["Observation"] = [], ["Patient"] = [] };
        foreach (var output in outputs)
        {
            var type = output.GetProperty("type").GetString()!;
            var lines = (await http.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Length, output.GetProperty("count").GetInt64());
            foreach (var line in lines)
            {
                var resource = JsonDocument.Parse(line).RootElement;
                Assert.Equal(type, resource.GetProperty("resourceType").GetString());
                Assert.True(ids[type].Add(resource.GetProperty("id").GetString()!), "a resource was exported twice");
            }
        }
        Assert.Equal(3600, ids["Observation"].Count);
        Assert.Equal(300, ids["Patient"].Count);
    }

    [Fact]
    public async Task Running_export_reports_types_and_resources_and_its_units_have_no_status_url()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Observation,Patient");
        var jobId = status.Split('/')[^1];

        var progress = await Eventually.WaitForAsync(async () =>
        {
            using var response = await http.GetAsync(status, ct);
            return AsyncClient.Progress(response) ?? "";
        }, p => ProgressText().IsMatch(p), TimeSpan.FromSeconds(30), "unit progress in X-Progress");
        Assert.Matches(ProgressText(), progress);

        // The plan (and so the progress) is saved before the units' records are created: wait for those too.
        var units = await Eventually.WaitForAsync(() => app.GetRequiredService<IJobStore>().ListChildrenAsync(jobId, ct), u => u.Count > 0,
            TimeSpan.FromSeconds(30), "the export's unit records");
        foreach (var unit in units)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/fhir/_async/{unit.Id}", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/fhir/_async/{unit.Id}", ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);
    }

    [Fact]
    public async Task Cancelling_an_export_cancels_its_units()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Observation");
        var jobId = status.Split('/')[^1];
        var jobs = app.GetRequiredService<IJobStore>();
        await Eventually.WaitForAsync(() => jobs.ListChildrenAsync(jobId, ct), units => units.Any(u => u.State == JobState.Running), TimeSpan.FromSeconds(30),
            "a unit to run");

        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);

        var after = await Eventually.WaitForAsync(() => jobs.ListChildrenAsync(jobId, ct), units => units.All(u => u.State.IsTerminal()),
            TimeSpan.FromSeconds(10), "every unit to stop");
        Assert.All(after, unit => Assert.NotEqual(JobState.Completed, unit.State));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(status, ct)).StatusCode);
    }

    [Fact]
    public async Task AllowPartialManifests_serves_ready_files_while_running_and_the_same_pages_at_the_end()
    {
        var status = await KickOffAsync("/fhir/$export?_type=Observation,Patient&allowPartialManifests=true");

        var firstPage = await Eventually.WaitForAsync(async () =>
        {
            using var response = await http.GetAsync(status, ct);
            return response.StatusCode == HttpStatusCode.Accepted && response.Content.Headers.ContentLength != 0
                ? await response.Content.ReadAsStringAsync(ct)
                : null;
        }, body => body is not null, TimeSpan.FromSeconds(30), "a partial manifest");
        var partial = JsonDocument.Parse(firstPage!).RootElement;
        Assert.NotEmpty(partial.GetProperty("output").EnumerateArray());
        foreach (var file in partial.GetProperty("output").EnumerateArray())
        {
            // Listed while running, so ready now: complete, with the count it will always have.
            var lines = (await http.GetStringAsync(file.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(file.GetProperty("count").GetInt64(), lines.Length);
        }

        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var page = await FhirAssert.JsonAsync(done);
        Assert.Equal(partial.GetProperty("output").GetRawText(), page.GetProperty("output").GetRawText());

        var counts = new Dictionary<string, long>();
        var pages = 0;
        while (true)
        {
            pages++;
            foreach (var output in page.GetProperty("output").EnumerateArray())
            {
                var type = output.GetProperty("type").GetString()!;
                counts[type] = counts.GetValueOrDefault(type) + output.GetProperty("count").GetInt64();
            }
            if (!page.TryGetProperty("link", out var link))
            {
                break;
            }
            var next = Assert.Single(link.EnumerateArray());
            Assert.Equal("next", next.GetProperty("relation").GetString());
            using var response = await http.GetAsync(next.GetProperty("url").GetString(), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            page = await FhirAssert.JsonAsync(response);
        }
        Assert.True(pages >= 3, $"only {pages} manifest pages");
        Assert.Empty(page.GetProperty("output").EnumerateArray()); // the last page: errors (none here)
        Assert.Empty(page.GetProperty("error").EnumerateArray());
        Assert.Equal(3600, counts["Observation"]);
        Assert.Equal(300, counts["Patient"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(status + "?page=99", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(status + "?page=x", ct)).StatusCode);
    }

    [Fact]
    public async Task Retry_after_of_a_running_export_with_counts_is_at_most_twice_the_time_it_really_has_left()
    {
        // Counted types (the sample upstream counts), a few seconds of pages: every 202 is held against the real end.
        var status = await KickOffAsync("/fhir/$export?_type=Observation,Patient");
        var clock = Stopwatch.StartNew();
        var answers = new List<(TimeSpan At, int RetryAfter, string Progress)>();
        HttpStatusCode last;
        while (true)
        {
            using var response = await http.GetAsync(status, ct);
            last = response.StatusCode;
            if (last != HttpStatusCode.Accepted || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }
            answers.Add((clock.Elapsed, (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, AsyncClient.Progress(response) ?? ""));
            await Task.Delay(50, ct); // a fast poller, to see the estimates all along (over-polling is not throttled here)
        }
        var end = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, last);
        Assert.Contains(answers, a => ProgressEstimate.TryRead(a.Progress, out _));
        Assert.All(answers, a => Assert.True(a.RetryAfter <= Math.Max(1, Math.Ceiling(2 * (end - a.At).TotalSeconds)),
            $"Retry-After {a.RetryAfter} at {a.At.TotalSeconds:F2} s ({a.Progress}); the export ended at {end.TotalSeconds:F2} s"));
    }

    private async Task<string> KickOffAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return accepted.Content.Headers.ContentLocation!.ToString();
    }

    [GeneratedRegex(@"^exporting: \d of 2 types done, [\d,]+ resources")]
    private static partial Regex ProgressText();
}

public sealed class InMemoryExportFanOutTests() : ExportFanOutContract(FacadeStore.InMemory);

public sealed class PostgresExportFanOutTests() : ExportFanOutContract(FacadeStore.Postgres);
