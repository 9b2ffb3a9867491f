using System.Net;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>With no Import configuration: loopback sources are refused (tests run there, so this is the SSRF guard's own
/// proof), while this server's own export files are allowed and read from its store.</summary>
[Collection(InMemoryCollection.Name)]
public sealed class ImportDefaultsTests(InMemoryFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://127.0.0.1:{port}/upstream/fhir/Patient")]
    [InlineData("http://localhost:{port}/upstream/fhir/Patient")]
    [InlineData("http://[::1]:{port}/upstream/fhir/Patient")]
    public async Task Loopback_source_is_refused_when_not_listed(string url)
    {
        using var response = await http.SendAsync(KickOff(Parameters(("Patient", url.Replace("{port}", http.BaseAddress!.Port.ToString())))), ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "forbidden");
        Assert.Contains("Import:AllowedHosts", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task File_urls_are_refused_when_no_directory_is_configured()
    {
        using var response = await http.SendAsync(KickOff(Parameters(("Patient", "file:///tmp/x.ndjson"))), ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "forbidden");
        Assert.Contains("Import:FileDirectory", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task This_servers_own_export_manifest_imports_with_no_configuration()
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Practitioner,Organization");
        var status = await new AsyncClient(http).KickOffAsync(kickOff);
        using var exported = await new AsyncClient(http).WaitAsync(status);
        var exportManifest = await FhirAssert.JsonAsync(exported);

        // Writes the same resources back over themselves: PUT by id makes that harmless.
        var (_, manifest) = await ImportAsync(http, exportManifest.GetRawText(), "application/json");

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal(exportManifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("count").GetInt64()),
            manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("count").GetInt64()));
    }
}
