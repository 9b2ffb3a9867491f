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
}
