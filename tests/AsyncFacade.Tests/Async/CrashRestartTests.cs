using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// A node is killed (SIGKILL) while its job waits on the upstream. Another process on the same database takes the
/// job over once its heartbeat is stale, runs it once more, and the status never claimed more than it knew.
/// </summary>
public sealed class CrashRestartTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;
    private GateUpstream upstream = null!;

    public async ValueTask InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync(ct);
        upstream = await GateUpstream.StartAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await upstream.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Job_running_on_a_killed_node_is_taken_over_and_completes_after_restart()
    {
        var (response, answers) = await CrashMidRequestAndPollAsync(new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient/gated"));

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(response));
        Assert.Equal("gated", entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.Equal(2, upstream.Requests); // the interrupted call, and exactly one re-run
        Assert.All(answers[..^1], code => Assert.Equal(HttpStatusCode.Accepted, code)); // never a premature 200, never a 404
    }

    [Fact]
    public async Task Interrupted_create_is_not_sent_twice_and_says_it_may_have_been_applied()
    {
        var create = new HttpRequestMessage(HttpMethod.Post, "/fhir/Patient")
        {
            Content = new StringContent("""{"resourceType":"Patient"}""", System.Text.Encoding.UTF8, "application/fhir+json"),
        };
        var (response, answers) = await CrashMidRequestAndPollAsync(create);

        var outcome = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(response)).GetProperty("response").GetProperty("outcome");
        Assert.Contains("may or may not have been applied", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        Assert.Equal(1, upstream.Requests); // never re-sent
        Assert.All(answers[..^1], code => Assert.Equal(HttpStatusCode.Accepted, code));
    }

    private async Task<(HttpResponseMessage Final, List<HttpStatusCode> Answers)> CrashMidRequestAndPollAsync(HttpRequestMessage kickOff)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Upstream__BaseUrl"] = upstream.BaseUrl,
            ["Upstream__MaxRetries"] = "0",
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = "3",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
            ["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
        };

        string jobPath;
        await using (var first = ServerProcess.Start(settings))
        {
            var client = new AsyncClient(new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) });
            var status = await client.KickOffAsync(kickOff);
            jobPath = new Uri(status).AbsolutePath;
            await Eventually.WaitForAsync(() => Task.FromResult(upstream.Requests), n => n == 1, TimeSpan.FromSeconds(10), "the job to call the upstream");
            first.Kill();
        }

        await using var second = ServerProcess.Start(settings);
        using var http = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        var answers = new List<HttpStatusCode>();
        HttpResponseMessage response;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            response = await http.GetAsync(jobPath, ct);
            answers.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
        }
        return (response, answers);
    }
}
