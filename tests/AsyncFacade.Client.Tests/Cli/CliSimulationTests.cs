using AsyncFacade.Client.Tests.Simulation;

namespace AsyncFacade.Client.Tests.Cli;

/// <summary>Exit codes for failures the reference-test-server mode produces on request.</summary>
public sealed class CliSimulationTests(SimulationHost fixture) : IClassFixture<SimulationHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("fail=fatal", 1, "failed", "exception")]
    [InlineData("fail=transient", 3, "transient-failure", "transient")]
    public async Task A_failing_export_exits_with_its_kind_of_failure(string behaviour, int exitCode, string status, string code)
    {
        var run = await CliRun.RunAsync(ct, "export", fixture.Host.FhirBase.ToString(), "--type", "Patient", "-H", $"X-Simulate: {behaviour}",
            "--json", "--max-retries", "1", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal(status, run.Json.GetProperty("status").GetString());
        Assert.Equal(code, run.Json.GetProperty("issues")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Progress_lines_show_the_servers_X_Progress_when_output_is_redirected()
    {
        var run = await CliRun.RunAsync(ct, "run", fixture.Host.FhirBase.ToString(), "GET Patient/pat-1", "-H", "X-Simulate: duration=2", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("simulated: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("next poll in", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_running_job_shows_the_servers_X_Progress()
    {
        using var client = fixture.Host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1") with { Headers = new Dictionary<string, string> { ["X-Simulate"] = "duration=30" } }, ct);

        var run = await CliRun.RunAsync(ct, "status", job.StatusUrl.ToString());
        await client.CancelAsync(job.StatusUrl, ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("status: in-progress", run.Out, StringComparison.Ordinal);
        Assert.Contains("\n  progress: simulated: ", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_the_status_URL_is_shown_at_kick_off_before_the_live_display()
    {
        var run = new CliRun { Interactive = true };
        await run.StartAsync(["run", fixture.Host.FhirBase.ToString(), "GET Patient/pat-1", "-H", "X-Simulate: duration=1", "--poll-seconds", "0.2"], ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        var statusUrl = run.Out.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("status URL: ", StringComparison.Ordinal));
        Assert.StartsWith(statusUrl + Environment.NewLine, run.Error, StringComparison.Ordinal); // the first thing on stderr
    }
}
