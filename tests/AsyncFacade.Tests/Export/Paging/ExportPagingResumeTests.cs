using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Npgsql;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>
/// A node killed while its unit pages a recovery query (the offset-capped next link already replaced by a
/// `_lastUpdated` bound): the checkpoint holds that cursor, and a new process resumes from it with every resource
/// exported exactly once.
/// </summary>
public sealed class ExportPagingResumeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private TestPostgres database = null!;

    public async ValueTask InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync(ct);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Export_killed_midway_through_a_recovery_resumes_from_the_bounded_cursor_exactly()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["SampleUpstream__Patients"] = "500",                 // 6,000 Observations
            ["SampleUpstream__Paging__LinkStyle"] = "Offset",
            ["SampleUpstream__Paging__MaxOffset"] = "1000",       // 1,100 rows per query, then a 400
            ["SampleUpstream__LatencyMilliseconds"] = "40",       // slow enough to be caught midway
            ["Export__PageSize"] = "100",
            ["Export__SliceSize"] = "1000000",                    // one unit
            ["Export__MinSliceSize"] = "1000000",
            ["Async__ThrottleOverPolling"] = "false",
            ["Jobs__HeartbeatSeconds"] = "1",
            ["Jobs__OrphanAfterSeconds"] = "3",
            ["Jobs__MaintenanceIntervalSeconds"] = "1",
            ["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")),
        };

        await using var first = ServerProcess.Start(settings);
        using var http = new HttpClient { BaseAddress = await first.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Observation");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await using var watch = StatusWatch.Start(http.BaseAddress, accepted.Content.Headers.ContentLocation!.AbsolutePath);
        // Past the first cap (1,100): the unit is paging a query it built itself.
        var atStop = await watch.WaitForAsync(o => o.Counter("resources") >= 1500, TimeSpan.FromSeconds(60), "the export to pass the offset cap");
        watch.NodeDown();
        first.Kill();
        Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)) is not null, "The server did not stop:\n" + first.Output);
        Assert.True(atStop.Counter("resources") < 5000, "The export was nearly done when it was stopped; the test proves nothing.");

        var cursor = await UnitCursorAsync();
        Assert.True(cursor.GetProperty("Recoveries").GetInt32() >= 1, $"The checkpoint holds no recovered cursor: {cursor}");
        Assert.True(cursor.GetProperty("LastMs").ValueKind == JsonValueKind.Number, $"The checkpoint holds no _lastUpdated bound: {cursor}");

        await using var second = ServerProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await second.WaitForListeningAsync(TimeSpan.FromSeconds(30)) };
        watch.NodeUp(client.BaseAddress);
        var final = await watch.FinalAsync(TimeSpan.FromSeconds(120));

        var manifest = JsonDocument.Parse(final.Body!).RootElement;
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var path = new Uri(output.GetProperty("url").GetString()!).AbsolutePath;
            foreach (var line in (await client.GetStringAsync(path, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var id = JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!;
                Assert.True(ids.Add(id), $"Observation/{id} was exported twice");
            }
        }
        Assert.Equal(QuirkedExport.Generated("obs", 6000), ids);
    }

    /// <summary>The export unit's saved cursor, read from the job store as the next node will read it.</summary>
    private async Task<JsonElement> UnitCursorAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("select checkpoint::text from asyncfacade.jobs where kind = 'export-unit'", connection);
        var checkpoint = (string?)await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException("No export unit was saved.");
        return JsonDocument.Parse(checkpoint).RootElement.GetProperty("Position").GetProperty("Cursor").Clone();
    }
}
