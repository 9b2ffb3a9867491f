using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>A `_since` export reports what was deleted since in `deleted[]` (from the upstream's history).</summary>
[Collection(InMemoryCollection.Name)]
public sealed class ExportDeletedTests(InMemoryFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resources_deleted_since_are_listed_as_DELETE_bundles()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var created = await http.PostAsync("/fhir/MedicationStatement",
            new StringContent("""{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/pat-1"}}""",
                Encoding.UTF8, "application/fhir+json"), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.Location!.ToString().Split("/_history")[0].Split('/')[^1];
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/fhir/MedicationStatement/{id}", ct)).StatusCode);

        using var kickOff = new HttpRequestMessage(HttpMethod.Get, $"/fhir/$export?_type=MedicationStatement&_since={Uri.EscapeDataString(since.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        using var done = await new AsyncClient(http).WaitAsync(accepted.Content.Headers.ContentLocation!.ToString());
        var manifest = await FhirAssert.JsonAsync(done);

        Assert.Empty(manifest.GetProperty("output").EnumerateArray()); // created and deleted: nothing to export
        var deleted = Assert.Single(manifest.GetProperty("deleted").EnumerateArray());
        Assert.Equal("Bundle", deleted.GetProperty("type").GetString());
        var line = (await http.GetStringAsync(deleted.GetProperty("url").GetString(), ct)).Trim();
        var request = JsonDocument.Parse(line).RootElement.GetProperty("entry")[0].GetProperty("request");
        Assert.Equal("DELETE", request.GetProperty("method").GetString());
        Assert.Equal($"MedicationStatement/{id}", request.GetProperty("url").GetString());
    }

    [Fact]
    public async Task An_export_without_since_has_no_deleted_list()
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Organization");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var accepted = await http.SendAsync(kickOff, ct);
        var manifest = await FhirAssert.JsonAsync(await new AsyncClient(http).WaitAsync(accepted.Content.Headers.ContentLocation!.ToString()));

        Assert.False(manifest.TryGetProperty("deleted", out _));
    }
}
