using System.Net;
using AsyncFacade.Client.Tests.Infrastructure;
using AsyncFacade.Client.Tests.Polling;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Cli;

/// <summary>`fhir-async` end to end against a facade whose upstream takes 2 s per request: exit codes and the --json summary.</summary>
public sealed class CliTests(SlowUpstreamHost fixture) : IClassFixture<SlowUpstreamHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string fhirBase = fixture.Host.FhirBase.ToString();

    [Fact]
    public async Task Export_downloads_every_file_and_summarises_it_as_JSON()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.RunAsync(ct, "export", fhirBase, "--type", "Patient,Encounter", "--out", dir.Path, "--json", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json;
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal(400, json.GetProperty("resources").GetInt64());
        Assert.StartsWith(fhirBase + "/_async/", json.GetProperty("statusUrl").GetString());
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.All(files.Where(f => f.GetProperty("role").GetString() == "output"), f =>
        {
            Assert.Equal(f.GetProperty("count").GetInt64(), f.GetProperty("lines").GetInt64());
            Assert.Equal(f.GetProperty("lines").GetInt64(), File.ReadLines(f.GetProperty("path").GetString()!).Count());
        });
        Assert.Equal(["Encounter", "Patient"], files.Select(f => f.GetProperty("type").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task Run_prints_the_interactions_result()
    {
        var run = await CliRun.RunAsync(ct, "run", fhirBase, "GET Patient/pat-1", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"id\":\"pat-1\"", run.Out.Replace(" ", ""), StringComparison.Ordinal);
        Assert.Contains("status URL:", run.Error, StringComparison.Ordinal); // progress lines go to stderr
    }

    [Fact]
    public async Task Run_of_a_failing_interaction_exits_1_with_the_outcome()
    {
        var run = await CliRun.RunAsync(ct, "--json", "run", fhirBase, "GET", "Patient/no-such-patient", "--async-mode", "bundle");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed", run.Json.GetProperty("status").GetString());
        Assert.StartsWith("404", run.Json.GetProperty("resultStatus").GetString());
        Assert.Equal("not-found", run.Json.GetProperty("issues")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Run_in_redirect_mode_writes_the_replayed_body_to_a_file()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "patient.json");

        var run = await CliRun.RunAsync(ct, "run", fhirBase, "GET Patient/pat-2", "--async-mode", "redirect", "--out", path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("200", run.Json.GetProperty("resultStatus").GetString());
        Assert.Contains("\"pat-2\"", await File.ReadAllTextAsync(path, ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_kick_off_exits_1_with_the_servers_issues()
    {
        var run = await CliRun.RunAsync(ct, "export", fhirBase, "--type", "NotAType", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed", run.Json.GetProperty("status").GetString());
        Assert.Equal(400, run.Json.GetProperty("httpStatus").GetInt32());
        Assert.NotEmpty(run.Json.GetProperty("issues").EnumerateArray());
    }

    [Theory]
    [InlineData]
    [InlineData("export")]
    [InlineData("export", "not-a-url")]
    [InlineData("export", "http://x/fhir", "--group", "g1", "--patient-level")]
    [InlineData("export", "http://x/fhir", "--since", "yesterday-ish")]
    [InlineData("run", "http://x/fhir", "FETCH", "Patient")]
    [InlineData("export", "http://x/fhir", "--client-id", "only-an-id")]
    [InlineData("export", "http://x/fhir", "--long-poll", "sometimes")]
    public async Task Bad_command_lines_exit_2(params string[] args)
    {
        var run = await CliRun.RunAsync(ct, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public async Task Status_and_cancel_of_a_running_job()
    {
        using var client = fixture.Host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-3"), ct);

        var status = await CliRun.RunAsync(ct, "status", job.StatusUrl.ToString(), "--json");
        var cancel = await CliRun.RunAsync(ct, "cancel", job.StatusUrl.ToString(), "--json");
        var again = await CliRun.RunAsync(ct, "cancel", job.StatusUrl.ToString(), "--json");
        var gone = await CliRun.RunAsync(ct, "status", job.StatusUrl.ToString(), "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("in-progress", status.Json.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(status.Json.GetProperty("progress").GetString()));
        Assert.Equal(0, cancel.ExitCode);
        Assert.Equal("cancelled", cancel.Json.GetProperty("status").GetString());
        Assert.Equal(5, again.ExitCode);
        Assert.Equal(5, gone.ExitCode);
        Assert.Equal("not-found", gone.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ctrl_C_while_the_job_runs_cancels_it_on_the_server_and_exits_130()
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = new CliRun();
        var running = run.StartAsync(["run", fhirBase, "GET Patient/pat-4", "--poll-seconds", "0.2"], interrupt.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(run.Error), e => e.Contains("status URL:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the kick-off");
        var statusUrl = run.Error.Split('\n').First(l => l.StartsWith("status URL:", StringComparison.Ordinal))["status URL:".Length..].Trim();

        await interrupt.CancelAsync();
        await running;

        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.Contains("cancelled on the server", run.Error, StringComparison.Ordinal);
        using var raw = fixture.Host.App.CreateRawClient();
        Assert.Equal(HttpStatusCode.NotFound, (await raw.GetAsync(statusUrl, ct)).StatusCode);
    }
}
