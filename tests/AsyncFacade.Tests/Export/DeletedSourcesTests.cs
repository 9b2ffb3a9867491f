using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// Where `deleted[]` comes from when the upstream has no type-level `_history` (issue 14, case 4: Medplum answers
/// `Condition/_history` with 404, and the manifest said nothing): the system `_history` filtered by type, and where
/// there is none either, an informational `not-supported` line per type in the error file.
/// </summary>
public sealed class DeletedSourcesTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication systemHistoryOnly = null!;
    private FacadeApplication noHistory = null!;

    public async ValueTask InitializeAsync()
    {
        systemHistoryOnly = new FacadeApplication(new Dictionary<string, string?> { ["SampleUpstream:History:TypeHistory"] = "false" }).Start();
        noHistory = new FacadeApplication(new Dictionary<string, string?>
        {
            ["SampleUpstream:History:TypeHistory"] = "false",
            ["SampleUpstream:History:SystemHistory"] = "false",
        }).Start();
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await systemHistoryOnly.DisposeAsync();
        await noHistory.DisposeAsync();
    }

    [Fact]
    public async Task Without_type_history_deletions_come_from_the_system_history_of_the_exported_types_only()
    {
        using var http = systemHistoryOnly.CreateRawClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var kept = await CreateAndDeleteAsync(http, "MedicationStatement");
        await CreateAndDeleteAsync(http, "Basic"); // deleted too, but not a type of this export

        var manifest = await ExportSinceAsync(http, "MedicationStatement,Condition", since);

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var deleted = Assert.Single(manifest.GetProperty("deleted").EnumerateArray());
        var urls = (await http.GetStringAsync(deleted.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("entry")[0].GetProperty("request").GetProperty("url").GetString()).ToList();
        Assert.Equal([$"MedicationStatement/{kept}"], urls);
        Assert.Equal(1, deleted.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Without_any_history_the_error_file_says_per_type_that_deletions_cannot_be_listed()
    {
        using var http = noHistory.CreateRawClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await CreateAndDeleteAsync(http, "MedicationStatement");

        var manifest = await ExportSinceAsync(http, "MedicationStatement,Condition", since);

        Assert.Empty(manifest.GetProperty("deleted").EnumerateArray());
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        var issues = (await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("issue")[0]).ToList();
        Assert.Equal(["Condition", "MedicationStatement"], issues.Select(i => i.GetProperty("expression")[0].GetString()).Order());
        Assert.All(issues, issue =>
        {
            Assert.Equal("information", issue.GetProperty("severity").GetString());
            Assert.Equal("not-supported", issue.GetProperty("code").GetString());
            Assert.Contains("cannot be listed in deleted[]", issue.GetProperty("diagnostics").GetString());
        });
    }

    private async Task<string> CreateAndDeleteAsync(HttpClient http, string type)
    {
        var body = type == "Basic"
            ? """{"resourceType":"Basic","code":{"text":"x"}}"""
            : """{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/pat-1"}}""";
        using var created = await http.PostAsync($"/fhir/{type}", new StringContent(body, Encoding.UTF8, "application/fhir+json"), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.Location!.ToString().Split("/_history")[0].Split('/')[^1];
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/fhir/{type}/{id}", ct)).StatusCode);
        return id;
    }

    private async Task<JsonElement> ExportSinceAsync(HttpClient http, string types, DateTimeOffset since)
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, $"/fhir/$export?_type={types}&_since={Uri.EscapeDataString(since.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var done = await new AsyncClient(http).WaitAsync(accepted.Content.Headers.ContentLocation!.ToString(), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return await FhirAssert.JsonAsync(done);
    }
}
