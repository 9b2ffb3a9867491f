using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// Two facade instances on one PostgreSQL database and one output directory, in front of one upstream that takes half a
/// second per request (3 s for reads and searches), under 50 concurrent jobs (reads, searches, small exports) kicked off
/// on either node and polled from both, a seeded ~30% of them cancelled at random moments on either node. Every job
/// reaches exactly one terminal state and stays there, none runs twice (the upstream sees each of its requests once), and
/// a cancel wins at once: the next poll on either node is 404, and the job's upstream calls end within about a second.
/// </summary>
public sealed class TwoNodeLoadTests : IAsyncLifetime
{
    private const int JobCount = 50;
    private const int Patients = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    // "Within a second", with the slack TwoNodeTests gives it: two nodes, the upstream and the test share a busy machine.
    private static readonly TimeSpan CancelBound = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly UpstreamCallLog upstreamCalls;
    private readonly string output = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N"));
    private TestPostgres database = null!;
    private SampleUpstreamHost upstream = null!;
    private FacadeApplication[] nodes = [];
    private HttpClient[] clients = [];

    public TwoNodeLoadTests() => upstreamCalls = new UpstreamCallLog(clock);

    /// <summary>The plan's seed; set ASYNCFACADE_LOAD_SEED to replay another one.</summary>
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ASYNCFACADE_LOAD_SEED"), out var seed) ? seed : 8_2024;

    private IJobStore Store => nodes[0].GetRequiredService<IJobStore>();

    public async ValueTask InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync(ct);
        upstream = await SampleUpstreamHost.StartAsync(Patients, seed: 1, ct,
            new Dictionary<string, string?> { ["SampleUpstream:LatencyMilliseconds"] = "500" }, app =>
            {
                upstreamCalls.Attach(app);
                app.Use(SlowInteractionsAsync);
            });
        var settings = new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = upstream.BaseUrl,
            ["Storage:LocalPath"] = output,              // shared, as a volume or an object store would be
            ["Async:ThrottleOverPolling"] = "false",     // the clients below poll every 200 ms on purpose
            ["Export:PageSize"] = "20",                  // five pages per export: a cancel can catch one mid-way
            // Cancelled records expire at once; the first clean-up round runs at start, the next after the test, so
            // every record stays readable. Nothing here needs its backstop: no node dies.
            ["Jobs:MaintenanceIntervalSeconds"] = "120",
        };
        nodes = [new FacadeApplication(settings, database.ConnectionString).Start(), new FacadeApplication(settings, database.ConnectionString).Start()];
        clients = [.. nodes.Select(n => n.CreateRawClient())];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        await upstream.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>
    /// A read or search (of a `pat-` patient; exports never name one) takes 3 s: longer than a cancel's bound, so a cancel
    /// that did not abort the call it caught shows. Export pages stay at 0.5 s, so an export is several calls long.
    /// </summary>
    private static async Task SlowInteractionsAsync(HttpContext context, RequestDelegate next)
    {
        if ((context.Request.Path + context.Request.QueryString).Contains("pat-", StringComparison.Ordinal))
        {
            await Task.Delay(2500, context.RequestAborted);
        }
        await next(context);
    }

    [Fact]
    public async Task Fifty_jobs_on_two_nodes_each_end_in_one_state_run_once_and_cancels_win_at_once()
    {
        var seed = Seed;
        var jobs = LoadJobPlan.Draw(seed, JobCount).Select(plan => new LoadJob(plan)).ToList();
        var end = clock.Elapsed + Deadline;

        await Task.WhenAll(jobs.Select(job => RunAsync(job, seed, end)));
        // Once every cancel's bound has passed and every other job is done, the upstream must fall quiet.
        var quietFrom = jobs.Max(j => j.DeleteReturned ?? TimeSpan.Zero) + CancelBound;
        if (quietFrom > clock.Elapsed)
        {
            await Task.Delay(quietFrom - clock.Elapsed, ct);
        }
        quietFrom = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1), ct);

        var problems = jobs.SelectMany(job => job.ProtocolProblems().Select(p => $"{job}: {p}")).ToList();
        problems.AddRange(InteractionCallProblems(jobs));
        problems.AddRange(ExportCallProblems(jobs));
        problems.AddRange(upstreamCalls.Calls.Where(c => c.Ended is null || c.Ended > quietFrom).Select(c => $"the upstream was still busy after every job settled: {c}"));
        problems.AddRange(await RecordProblemsAsync(jobs));
        problems.AddRange(await ResultProblemsAsync(jobs));
        var cancelsWon = jobs.Count(j => j.CancelWon);
        if (cancelsWon < 3)
        {
            problems.Add($"only {cancelsWon} cancels caught a job before it finished: this run proves little about cancelling");
        }
        Assert.True(problems.Count == 0,
            $"Seed {seed} (ASYNCFACADE_LOAD_SEED replays it): {problems.Count} problems\n{string.Join('\n', problems.Take(30))}\n\nJobs:\n{string.Join('\n', jobs)}");
    }

    private async Task RunAsync(LoadJob job, int seed, TimeSpan end)
    {
        await Task.Delay(job.Plan.StartAfter, ct);
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, job.Plan.Url);
        kickOff.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        job.StatusPath = new Uri(await new AsyncClient(clients[job.Plan.KickOffNode]).KickOffAsync(kickOff)).AbsolutePath;
        var polling = PollAsync(job, new Random(seed + job.Plan.Index), end);
        if (job.Plan.CancelAfter is { } after)
        {
            await Task.Delay(after, ct);
            await CancelAsync(job);
        }
        await polling;
    }

    /// <summary>Polls every 200 ms, each time on a node drawn at random, until the job has settled (or the deadline).</summary>
    private async Task PollAsync(LoadJob job, Random random, TimeSpan end)
    {
        while (clock.Elapsed < end && !job.Settled)
        {
            job.Add(await PollAsync(job, random.Next(nodes.Length)));
            await Task.Delay(PollInterval, ct);
        }
    }

    private Task<StatusObservation> PollAsync(LoadJob job, int node) =>
        StatusObservation.ProbeAsync(clients[node], nodes[node].ServerAddress, job.StatusPath, () => clock.Elapsed, ct);

    private async Task CancelAsync(LoadJob job)
    {
        job.DeleteSent = clock.Elapsed;
        using var response = await clients[job.Plan.CancelNode].DeleteAsync(job.StatusPath, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        job.DeleteReturned = clock.Elapsed;
        job.DeleteStatus = response.StatusCode;
        job.DeleteText = JsonDocument.Parse(body).RootElement.GetProperty("issue")[0].GetProperty("diagnostics").GetString();
        job.StateAfterDelete = (await Store.GetAsync(job.Id, ct))?.State;
        // The very next poll, on each node at once: the cancel must already have won there.
        foreach (var poll in await Task.WhenAll(PollAsync(job, 0), PollAsync(job, 1)))
        {
            job.Add(poll);
        }
    }

    /// <summary>A read or search is one upstream request for its own patient: sent once, and cut short by a cancel.</summary>
    private IEnumerable<string> InteractionCallProblems(List<LoadJob> jobs)
    {
        var calls = upstreamCalls.Calls;
        foreach (var job in jobs.Where(j => !j.Plan.IsExport))
        {
            var mine = calls.Where(c => Regex.IsMatch(c.Url, Regex.Escape(job.Plan.Patient) + @"(?!\d)")).ToList();
            if (mine.Count > 1 || (job.Result is not null && mine.Count == 0))
            {
                yield return $"{job}: sent upstream {mine.Count} times:\n  {string.Join("\n  ", mine)}";
            }
            foreach (var call in mine.Where(c => job.CancelWon && !(c.Ended <= job.DeleteReturned + CancelBound)))
            {
                yield return $"{job}: its upstream call outlived the cancel (returned at {job.DeleteReturned?.TotalSeconds:F2}s): {call}";
            }
        }
    }

    /// <summary>
    /// An export's searches all carry its own `_until`: none is sent twice (no part of it ran twice), and a cancelled
    /// export's end within the bound.
    /// </summary>
    private IEnumerable<string> ExportCallProblems(List<LoadJob> jobs)
    {
        var calls = upstreamCalls.Calls;
        foreach (var job in jobs.Where(j => j.Plan.IsExport))
        {
            var mine = calls.Where(c => c.Url.Contains("_lastUpdated=le" + job.Plan.Until, StringComparison.Ordinal)).ToList();
            if (job.Result is not null && mine.Count == 0)
            {
                yield return $"{job}: exported without searching the upstream?";
            }
            foreach (var twice in mine.GroupBy(c => c.Url).Where(g => g.Count() > 1))
            {
                yield return $"{job}: searched the upstream {twice.Count()} times for {twice.Key}";
            }
            foreach (var call in mine.Where(c => job.CancelWon && !(c.Ended <= job.DeleteReturned + CancelBound)))
            {
                yield return $"{job}: its upstream search outlived the cancel (returned at {job.DeleteReturned?.TotalSeconds:F2}s): {call}";
            }
        }
    }

    /// <summary>The records at the end: completed, cancelled (with every unit finished) or deleted, as the client was told.</summary>
    private async Task<List<string>> RecordProblemsAsync(List<LoadJob> jobs)
    {
        var problems = new List<string>();
        foreach (var job in jobs)
        {
            var record = await Store.GetAsync(job.Id, ct);
            var expected = job.Plan.CancelAfter is null ? JobState.Completed : job.StateAfterDelete;
            if (record?.State != expected)
            {
                problems.Add($"{job}: its record ends {record?.State.ToWire() ?? "gone"}, not {expected?.ToWire() ?? "gone"}");
            }
            var running = (await Store.ListChildrenAsync(job.Id, ct)).Where(u => !u.State.IsTerminal()).ToList();
            if (running.Count > 0)
            {
                problems.Add($"{job}: units still {string.Join(", ", running.Select(u => $"{u.Id} {u.State.ToWire()}"))}");
            }
        }
        return problems;
    }

    /// <summary>What the completed jobs served: the asked-for patient, or every patient exactly once in the export files.</summary>
    private async Task<List<string>> ResultProblemsAsync(List<LoadJob> jobs)
    {
        var problems = new List<string>();
        foreach (var job in jobs.Where(j => j.Plan.CancelAfter is null && j.Result is not null))
        {
            if (!job.Plan.IsExport)
            {
                var entry = AsyncClient.SingleEntry(JsonDocument.Parse(job.Result!).RootElement);
                if (entry.GetProperty("response").GetProperty("status").GetString() != "200 OK" || !entry.GetProperty("resource").GetRawText().Contains($"\"{job.Plan.Patient}\""))
                {
                    problems.Add($"{job}: wrong result {job.Result}");
                }
                continue;
            }
            var manifest = JsonDocument.Parse(job.Result!).RootElement;
            var ids = new List<string>();
            foreach (var (file, i) in manifest.GetProperty("output").EnumerateArray().Select((f, i) => (f, i)))
            {
                var lines = (await clients[i % clients.Length].GetStringAsync(new Uri(file.GetProperty("url").GetString()!).AbsolutePath, ct))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (file.GetProperty("count").GetInt64() != lines.Length)
                {
                    problems.Add($"{job}: the manifest counts {file.GetProperty("count")} lines in a file of {lines.Length}");
                }
                ids.AddRange(lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!));
            }
            if (ids.Count != Patients || ids.Distinct().Count() != Patients || manifest.GetProperty("error").GetArrayLength() != 0)
            {
                problems.Add($"{job}: exported {ids.Count} patients ({ids.Distinct().Count()} distinct) and {manifest.GetProperty("error").GetArrayLength()} errors");
            }
        }
        return problems;
    }
}
