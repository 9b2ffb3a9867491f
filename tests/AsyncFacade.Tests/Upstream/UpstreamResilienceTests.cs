using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream;

/// <summary>
/// The facade against an upstream that fails (SampleUpstream:Faults): transient faults are retried within the budget
/// and cost nothing; faults that outlast it become error[] entries or failed jobs with a transient outcome, never a
/// hang and never silently missing data.
/// </summary>
public sealed class UpstreamResilienceTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Faulty(string faults, int maxRetries = 6) => new()
    {
        ["SampleUpstream:Patients"] = "20",
        ["SampleUpstream:Faults"] = faults,
        ["Upstream:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Upstream:RetryDelayMilliseconds"] = "10",
    };

    [Fact]
    public async Task Every_fault_kind_once_per_URL_is_retried_and_the_export_is_complete_and_exact()
    {
        // Each URL answers 503, 429, a dropped connection, a truncated page, an error page and a 500 before it works.
        await using var facade = new FacadeApplication(Faulty(
            "503;n=1;retry-after=0, 429;n=1;retry-after=0, drop;n=1;bytes=200, truncate;n=1;bytes=200, invalid-json;n=1, 500;n=1")).Start();
        var http = facade.CreateRawClient();
        string[] types = ["Patient", "Observation", "Condition"];

        var manifest = await ExportAsync(http, $"/fhir/$export?_type={string.Join(',', types)}");

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        foreach (var type in types)
        {
            var ids = await ExportedIdsAsync(http, manifest, type);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(await UpstreamCountAsync(http, type), ids.Count);
        }
    }

    [Fact]
    public async Task A_type_whose_pages_keep_failing_becomes_an_error_entry_and_the_rest_is_exported()
    {
        await using var facade = new FacadeApplication(Faulty("503;retry-after=0;path=Observation", maxRetries: 2)).Start();
        var http = facade.CreateRawClient();

        var manifest = await ExportAsync(http, "/fhir/$export?_type=Patient,Observation");

        var patients = await ExportedIdsAsync(http, manifest, "Patient");
        Assert.Equal(20, patients.Count);
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        var line = (await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).Trim();
        var outcome = JsonDocument.Parse(line).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal("transient", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.Contains("Observation", line);
    }

    [Fact]
    public async Task An_upstream_that_stays_down_fails_the_export_with_a_transient_outcome()
    {
        await using var facade = new FacadeApplication(Faulty("503;retry-after=0", maxRetries: 2)).Start();
        var http = facade.CreateRawClient();

        var statusUrl = await new AsyncClient(http).KickOffAsync("/fhir/$export?_type=Patient");
        using var done = await new AsyncClient(http).WaitAsync(statusUrl);

        Assert.Equal(HttpStatusCode.InternalServerError, done.StatusCode);
        await FhirAssert.OperationOutcomeAsync(done, HttpStatusCode.InternalServerError, "transient");
    }

    [Theory]
    [InlineData("503;retry-after=0", "transient")]
    [InlineData("429;retry-after=3600", "throttled")] // a wait past the budget is not waited: the job fails at once
    [InlineData("drop;bytes=50", "transient")]
    [InlineData("invalid-json", "transient")]
    public async Task An_interaction_the_upstream_keeps_refusing_fails_with_a_transient_outcome_and_no_hang(string faults, string code)
    {
        await using var facade = new FacadeApplication(Faulty(faults, maxRetries: 2)).Start();
        var http = facade.CreateRawClient();
        var clock = Stopwatch.StartNew();

        var statusUrl = await new AsyncClient(http).KickOffAsync("/fhir/Patient/pat-1");
        using var done = await new AsyncClient(http).WaitAsync(statusUrl, TimeSpan.FromSeconds(20));

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));
        Assert.StartsWith("5", entry.GetProperty("response").GetProperty("status").GetString());
        var issue = entry.GetProperty("response").GetProperty("outcome").GetProperty("issue")[0];
        Assert.Equal(code, issue.GetProperty("code").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_read_cut_off_once_is_sent_again_and_completes()
    {
        await using var facade = new FacadeApplication(Faulty("drop;n=1;bytes=20, truncate;n=1;bytes=20")).Start();
        var http = facade.CreateRawClient();

        var statusUrl = await new AsyncClient(http).KickOffAsync("/fhir/Patient/pat-1");
        using var done = await new AsyncClient(http).WaitAsync(statusUrl);

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));
        Assert.Equal("200 OK", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("pat-1", entry.GetProperty("resource").GetProperty("id").GetString());
    }

    private async Task<JsonElement> ExportAsync(HttpClient http, string url)
    {
        var client = new AsyncClient(http);
        using var done = await client.WaitAsync(await client.KickOffAsync(url), TimeSpan.FromSeconds(60));
        return await FhirAssert.JsonAsync(done);
    }

    private async Task<List<string>> ExportedIdsAsync(HttpClient http, JsonElement manifest, string type)
    {
        var ids = new List<string>();
        foreach (var file in manifest.GetProperty("output").EnumerateArray().Where(f => f.GetProperty("type").GetString() == type))
        {
            var lines = (await http.GetStringAsync(file.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(file.GetProperty("count").GetInt32(), lines.Length);
            ids.AddRange(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!));
        }
        return ids;
    }

    /// <summary>The upstream's own count, asked with an empty fault header (no faults for this request).</summary>
    private async Task<int> UpstreamCountAsync(HttpClient http, string type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/upstream/fhir/{type}?_count=0&_total=accurate");
        request.Headers.TryAddWithoutValidation("X-Upstream-Fault", "");
        using var response = await http.SendAsync(request, ct);
        return (await FhirAssert.JsonAsync(response)).GetProperty("total").GetInt32();
    }
}
