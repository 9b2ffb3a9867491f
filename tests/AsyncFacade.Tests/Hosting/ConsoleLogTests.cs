using System.Text.Json;
using System.Text.RegularExpressions;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Hosting;

/// <summary>
/// The console log format of the real server process: JSON when stdout is redirected (as here, in containers and
/// under systemd), readable lines on a terminal, whatever Logging:Console:FormatterName says when it is set.
/// </summary>
public sealed partial class ConsoleLogTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_default_start_with_redirected_output_logs_JSON_lines_and_no_warning_or_error()
    {
        var lines = await StartServeAndStopAsync(new Dictionary<string, string>());

        var entries = lines.Select(line => (Line: line, Json: TryParse(line))).ToList();
        Assert.All(entries, e => Assert.True(e.Json is { ValueKind: JsonValueKind.Object }, "Not a JSON log line: " + e.Line));
        Assert.Contains(entries, e => e.Json!.Value.GetProperty("EventId").GetInt32() == 14); // Now listening on
        var bad = entries.Where(e => e.Json!.Value.GetProperty("LogLevel").GetString() is not ("Trace" or "Debug" or "Information")).ToList();
        Assert.True(bad.Count == 0, "A clean start logged warnings or errors:\n" + string.Join('\n', bad.Select(e => e.Line)));
    }

    [Fact]
    public async Task Logging__Console__FormatterName_simple_gives_one_readable_line_per_event_with_a_timestamp()
    {
        var lines = await StartServeAndStopAsync(new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "simple" });

        Assert.DoesNotContain(lines, line => line.StartsWith('{'));
        Assert.All(lines, line => Assert.Matches(SimpleLine(), line));
        Assert.Contains(lines, line => line.Contains("info: Microsoft.Hosting.Lifetime[14] Now listening on: http://", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, false, "simple")]   // a person at a terminal
    [InlineData(null, true, "json")]      // containers, systemd, log shippers
    [InlineData("", false, "simple")]     // Logging__Console__FormatterName= (empty) is not a choice
    [InlineData("json", false, "json")]   // configured: wins on a terminal
    [InlineData("simple", true, "simple")] // and when redirected
    [InlineData("systemd", true, "systemd")]
    public void The_configured_formatter_wins_else_the_terminal_decides(string? configured, bool outputRedirected, string expected) =>
        Assert.Equal(expected, ConsoleLogFormat.Choose(configured, outputRedirected));

    /// <summary>Starts the server, answers a health check and a FHIR request, stops it with SIGTERM; returns its output lines.</summary>
    private async Task<List<string>> StartServeAndStopAsync(Dictionary<string, string> environment)
    {
        await using var server = ServerProcess.Start(environment);
        using var http = new HttpClient { BaseAddress = await server.WaitForListeningAsync(StartTimeout) };
        Assert.True((await http.GetAsync("/health/ready", ct)).IsSuccessStatusCode, server.Output);
        Assert.True((await http.GetAsync("/fhir/Patient?_count=1", ct)).IsSuccessStatusCode, server.Output);
        await server.TerminateAsync();
        Assert.True(await server.WaitForExitAsync(StartTimeout) == 0, "The server did not stop cleanly:\n" + server.Output);
        return [.. server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private static JsonElement? TryParse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // appsettings.json: "2026-01-02T03:04:05.678Z info: Category[EventId] Message" (scopes, when any, follow on the line).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (trce|dbug|info|warn|fail|crit): \S+\[\d+\] ")]
    private static partial Regex SimpleLine();
}
