using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// `$import` end to end into an empty sample upstream: both body forms, every kind of source, per-line error reports,
/// and the round trip of one server's `$export` into another. Each test imports ids of its own.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class ImportTests(ImportFixture fixture)
{
    private readonly HttpClient http = fixture.Importer.CreateRawClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Parameters_import_writes_good_lines_and_reports_each_bad_line_with_its_file_and_line_number()
    {
        var lines = Patients(prefix, 120).ToList();
        lines[2] = "{not json";
        lines[9] = $$"""{"resourceType":"Observation","id":"{{prefix}}-obs"}""";
        lines[19] = """{"resourceType":"Patient","active":true}""";
        lines[29] = Patient($"{prefix}-29", ""","birthDate":"1970-13-45" """);
        lines[39] = "";
        var url = fixture.Sources.Add(prefix + ".ndjson", lines);

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", url)));

        var output = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal("Patient", output.GetProperty("type").GetString());
        Assert.Equal(url, output.GetProperty("inputUrl").GetString());
        Assert.Equal(115, output.GetProperty("count").GetInt64()); // 120 lines: 4 bad, 1 blank
        var errors = await ErrorsAsync(http, manifest);
        Assert.Equal([3, 10, 20, 30], errors.Select(e => LineOf(e.Diagnostics)));
        Assert.All(errors, e => Assert.StartsWith($"input[0] ({fixture.Sources.BaseUrl}/files/{prefix}.ndjson) line ", e.Diagnostics));
        Assert.Equal(["structure", "invalid", "required", "invalid"], errors.Select(e => e.Code));
        Assert.Contains("declared as Patient", errors[1].Diagnostics);
        Assert.Contains("birthDate", errors[3].Diagnostics);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Target.Client.GetAsync($"Patient/{prefix}-119", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Target.Client.GetAsync($"Patient/{prefix}-29", ct)).StatusCode);
    }

    [Fact]
    public async Task Http_sources_are_read_through_gzip_redirects_bearer_tokens_and_a_503_with_RetryAfter()
    {
        var names = new[] { "plain", "redirected", "secure", "flaky" }.Select(n => $"{prefix}-{n}.ndjson").ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            fixture.Sources.Add(names[i], Patients($"{prefix}-{i}", 60));
        }
        var source = fixture.Sources.BaseUrl;

        var (_, manifest) = await ImportAsync(http, Parameters(
            ("Patient", $"{source}/files/{names[0]}"), ("Patient", $"{source}/redirect/{names[1]}"),
            ("Patient", $"{source}/secure/{names[2]}"), ("Patient", $"{source}/flaky/{names[3]}")));

        Assert.Equal([60L, 60, 60, 60], manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("count").GetInt64()));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.Contains("Bearer " + NdjsonSourceHost.Token, fixture.Sources.AuthorizationHeaders);
    }

    [Fact]
    public async Task A_source_that_fails_or_redirects_off_the_allow_list_fails_alone_and_the_rest_is_imported()
    {
        var good = fixture.Sources.Add(prefix + ".ndjson", Patients(prefix, 10));
        var missing = $"{fixture.Sources.BaseUrl}/files/{prefix}-missing.ndjson";
        // localhost is the same machine, but only 127.0.0.1 is listed: the redirect is checked like a kick-off URL.
        var away = $"{fixture.Sources.BaseUrl}/redirect-to?url=" + Uri.EscapeDataString(good.Replace("127.0.0.1", "localhost"));

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", missing), ("Patient", good), ("Patient", away)));

        Assert.Equal([0L, 10, 0], manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("count").GetInt64()));
        var errors = await ErrorsAsync(http, manifest);
        Assert.Equal(["not-found", "forbidden"], errors.Select(e => e.Code));
        Assert.Contains("404", errors[0].Diagnostics);
        Assert.Contains("redirected to http://localhost", errors[1].Diagnostics);
        Assert.Contains("Import:AllowedHosts", errors[1].Diagnostics);
    }

    [Fact]
    public async Task File_inputs_under_the_configured_directory_are_imported_gzip_included()
    {
        var path = Path.Combine(fixture.FileDirectory, prefix + ".ndjson.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(string.Join("\r\n", Patients(prefix, 75))), ct); // CRLF, no final line break
        }

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", new Uri(path).AbsoluteUri)));

        Assert.Equal(75, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
    }

    [Fact]
    public async Task InitialLoad_creates_lines_without_an_id_and_IncrementalLoad_reports_them()
    {
        var lines = new[] { Patient(prefix + "-a"), """{"resourceType":"Patient","active":false}""" };
        var url = fixture.Sources.Add(prefix + ".ndjson", lines);

        var (_, initial) = await ImportAsync(http, Parameters("InitialLoad", ("Patient", url)));
        var (_, incremental) = await ImportAsync(http, Parameters("IncrementalLoad", ("Patient", url)));

        Assert.Equal(2, initial.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(initial.GetProperty("error").EnumerateArray());
        Assert.Equal(1, incremental.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Contains("no id", Assert.Single(await ErrorsAsync(http, incremental)).Diagnostics);
    }

    [Fact]
    public async Task Export_manifest_of_another_server_round_trips_into_an_empty_upstream()
    {
        var exporter = fixture.Exporter.CreateRawClient();
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export");
        var exportStatus = await new AsyncClient(exporter).KickOffAsync(kickOff);
        using var exported = await new AsyncClient(exporter).WaitAsync(exportStatus, TimeSpan.FromSeconds(60));
        var exportManifest = await FhirAssert.JsonAsync(exported);

        // Fed in unchanged, as a client that pings one server and has the other pull would.
        var (_, manifest) = await ImportAsync(http, exportManifest.GetRawText(), "application/json");

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var exportedCounts = exportManifest.GetProperty("output").EnumerateArray().Select(o => (o.GetProperty("type").GetString(), o.GetProperty("count").GetInt64()));
        var importedCounts = manifest.GetProperty("output").EnumerateArray().Select(o => (o.GetProperty("type").GetString(), o.GetProperty("count").GetInt64()));
        Assert.Equal(exportedCounts, importedCounts);
        Assert.True(exportedCounts.Sum(c => c.Item2) > 1500);
        foreach (var output in exportManifest.GetProperty("output").EnumerateArray())
        {
            var lines = (await exporter.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // A sample of every file (first, middle, last), compared without meta (the target gave them new versions).
            foreach (var line in new[] { lines[0], lines[lines.Length / 2], lines[^1] })
            {
                var original = WithoutMeta(line);
                var copy = WithoutMeta(await fixture.Target.Client.GetStringAsync($"{original["resourceType"]}/{original["id"]}", ct));
                Assert.True(JsonNode.DeepEquals(original, copy), $"{original["resourceType"]}/{original["id"]} differs after the round trip");
            }
        }
    }

    [Fact]
    public async Task Error_reports_are_deleted_with_the_job()
    {
        var url = fixture.Sources.Add(prefix + ".ndjson", ["{broken"]);
        var (status, manifest) = await ImportAsync(http, Parameters(("Patient", url)));
        var report = manifest.GetProperty("error")[0].GetProperty("url").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);

        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(status, ct), HttpStatusCode.NotFound, "not-found");
        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(report, ct), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task CapabilityStatement_advertises_import_with_the_OperationDefinition_served_here()
    {
        var statement = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));
        var operation = Assert.Single(statement.GetProperty("rest")[0].GetProperty("operation").EnumerateArray(), o => o.GetProperty("name").GetString() == "import");
        var definitionUrl = operation.GetProperty("definition").GetString()!;

        var definition = await FhirAssert.JsonAsync(await http.GetAsync(definitionUrl, ct));

        Assert.Equal("OperationDefinition", definition.GetProperty("resourceType").GetString());
        Assert.Equal(definitionUrl, definition.GetProperty("url").GetString());
        Assert.Equal("import", definition.GetProperty("code").GetString());
        Assert.Equal(["inputFormat", "inputSource", "storageDetail", "mode", "input"],
            definition.GetProperty("parameter").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Contains("manifest", definition.GetProperty("description").GetString());
    }

    private static long LineOf(string diagnostics) => long.Parse(diagnostics.Split(" line ")[1].Split(':')[0]);

    private static JsonObject WithoutMeta(string json)
    {
        var resource = JsonNode.Parse(json)!.AsObject();
        resource.Remove("meta");
        return resource;
    }
}
