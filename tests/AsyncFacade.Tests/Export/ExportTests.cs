using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// Bulk Data $export against the embedded sample upstream (100 patients: 12 Observations, 3 Encounters, 2 Conditions,
/// 2 MedicationRequests each; groups of every 10th/25th/100th patient), checked the way the Inferno bulk data test kit
/// and the SMART bulk-data-client check it.
/// </summary>
[Collection(ReadOnlyDataCollection.Name)]
public sealed class ExportTests(ReadOnlyDataFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task System_export_of_two_types_gives_a_manifest_with_exact_counts_and_valid_ndjson()
    {
        var kickOff = "/fhir/$export?_type=Patient,Observation";
        var manifest = await ExportAsync(HttpMethod.Get, kickOff);

        Assert.Equal(http.BaseAddress + kickOff.TrimStart('/'), manifest.GetProperty("request").GetString());
        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.True(DateTimeOffset.TryParse(manifest.GetProperty("transactionTime").GetString(), out _));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var counts = await VerifyFilesAsync(manifest);
        Assert.Equal(100, counts["Patient"]);
        Assert.Equal(1200, counts["Observation"]);
    }

    [Fact]
    public async Task Status_requests_with_Accept_application_json_get_the_manifest()
    {
        var (status, _) = await ExportWithStatusAsync("/fhir/$export?_type=Organization");
        using var request = new HttpRequestMessage(HttpMethod.Get, status);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");

        using var response = await http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.True((await FhirAssert.JsonAsync(response)).TryGetProperty("transactionTime", out _));
    }

    [Fact]
    public async Task Patient_level_export_covers_the_patient_compartment()
    {
        var counts = await VerifyFilesAsync(await ExportAsync(HttpMethod.Get, "/fhir/Patient/$export?_type=Patient,Encounter,Condition"));

        Assert.Equal(100, counts["Patient"]);
        Assert.Equal(300, counts["Encounter"]);
        Assert.Equal(200, counts["Condition"]);
    }

    [Fact]
    public async Task Patient_level_export_leaves_out_types_outside_the_compartment_and_says_so()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/Patient/$export?_type=Patient,Organization");

        var counts = await VerifyFilesAsync(manifest);
        Assert.Equal(["Patient"], counts.Keys);
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        var outcome = JsonDocument.Parse(await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).RootElement;
        Assert.Contains("not in the patient compartment", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task Group_export_covers_only_the_members_compartments()
    {
        var group = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/Group/grp-0", ct));
        var members = group.GetProperty("member").GetArrayLength();

        var counts = await VerifyFilesAsync(await ExportAsync(HttpMethod.Get, "/fhir/Group/grp-0/$export?_type=Patient,Observation"));

        Assert.Equal(members, counts["Patient"]);
        Assert.Equal(members * 12, counts["Observation"]);
    }

    [Fact]
    public async Task OrganizeOutputBy_Patient_writes_one_block_per_patient_headed_by_a_Parameters_header()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/Patient/$export?organizeOutputBy=Patient");

        Assert.Equal("Patient", manifest.GetProperty("outputOrganizedBy").GetString());
        var blocks = await ReadBlocksAsync(manifest);
        Assert.Equal(100, blocks.Count);
        Assert.Equal(1900, blocks.Values.Sum(b => b.Count)); // 3 Encounters, 12 Observations, 2 Conditions, 2 MedicationRequests each
    }

    [Fact]
    public async Task OrganizeOutputBy_Patient_at_group_level_has_blocks_for_the_members_only()
    {
        var group = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/Group/grp-0", ct));
        var members = group.GetProperty("member").EnumerateArray().Select(m => m.GetProperty("entity").GetProperty("reference").GetString()!["Patient/".Length..]).ToHashSet();

        var blocks = await ReadBlocksAsync(await ExportAsync(HttpMethod.Get, "/fhir/Group/grp-0/$export?organizeOutputBy=Patient&_type=Patient,Observation"));

        Assert.Equal(members, blocks.Keys.ToHashSet());
        Assert.All(blocks.Values, block => Assert.Equal(12, block.Count));
    }

    /// <summary>
    /// Reads every file of a patient-organized export: each block is a header naming a patient, that Patient, then only
    /// resources that refer to it; a patient has one block. Returns the resource types after the Patient, per patient.
    /// </summary>
    private async Task<Dictionary<string, List<string>>> ReadBlocksAsync(JsonElement manifest)
    {
        var blocks = new Dictionary<string, List<string>>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            Assert.False(output.TryGetProperty("type", out _));
            var lines = (await http.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Length, output.GetProperty("count").GetInt64());
            string? patient = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var resource = JsonDocument.Parse(lines[i]).RootElement;
                if (resource.GetProperty("resourceType").GetString() == "Parameters")
                {
                    var header = Assert.Single(resource.GetProperty("parameter").EnumerateArray());
                    Assert.Equal("header", header.GetProperty("name").GetString());
                    patient = header.GetProperty("valueReference").GetProperty("reference").GetString()!["Patient/".Length..];
                    var head = JsonDocument.Parse(lines[++i]).RootElement;
                    Assert.Equal("Patient", head.GetProperty("resourceType").GetString());
                    Assert.Equal(patient, head.GetProperty("id").GetString());
                    Assert.True(blocks.TryAdd(patient, []), $"Patient/{patient} has two blocks");
                    continue;
                }
                Assert.NotNull(patient); // the file starts with a header
                Assert.Contains($"\"Patient/{patient}\"", lines[i]);
                blocks[patient].Add(resource.GetProperty("resourceType").GetString()!);
            }
        }
        return blocks;
    }

    [Fact]
    public async Task Post_kick_off_with_a_Parameters_body_works_like_GET()
    {
        var parameters = """{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Condition"},{"name":"_outputFormat","valueString":"application/fhir+ndjson"}]}""";

        var counts = await VerifyFilesAsync(await ExportAsync(HttpMethod.Post, "/fhir/$export", parameters));

        Assert.Equal(200, counts["Condition"]);
    }

    [Fact]
    public async Task Since_in_the_future_gives_an_empty_output_not_an_error()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/$export?_type=Patient&_since=2099-01-01T00:00:00Z");

        Assert.Empty(manifest.GetProperty("output").EnumerateArray());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
    }

    [Fact]
    public async Task A_type_the_upstream_rejects_goes_to_the_error_file_and_the_rest_completes()
    {
        // The upstream answers 400 to a malformed date inside the Observation filter; Patient is unaffected. Lenient: under strict
        // handling (the default) the kick-off itself is refused (TypeFilterHandlingTests).
        var manifest = (await ExportWithStatusAsync("/fhir/$export?_type=Patient,Observation&_typeFilter=" + Uri.EscapeDataString("Observation?_lastUpdated=gtnot-a-date"),
            prefer: "respond-async, handling=lenient")).Manifest;

        var counts = await VerifyFilesAsync(manifest);
        Assert.Equal(100, counts["Patient"]);
        Assert.False(counts.ContainsKey("Observation"));
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal("OperationOutcome", error.GetProperty("type").GetString());
        Assert.Equal(error.GetProperty("url").GetString(), manifest.GetProperty("outcome")[0].GetProperty("url").GetString());
        var outcome = JsonDocument.Parse(await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).RootElement;
        Assert.Contains("Observation", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task Elements_keeps_requested_and_mandatory_elements_and_tags_the_resources_SUBSETTED()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/$export?_type=Patient,Observation&_elements=Patient.gender,issued");

        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var type = output.GetProperty("type").GetString();
            var lines = (await http.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Length);
            foreach (var line in lines)
            {
                var resource = JsonDocument.Parse(line).RootElement;
                var names = resource.EnumerateObject().Select(p => p.Name).ToHashSet();
                Assert.Contains(resource.GetProperty("meta").GetProperty("tag").EnumerateArray(), t => t.GetProperty("code").GetString() == "SUBSETTED");
                Assert.Subset(type == "Patient"
                    ? ["resourceType", "id", "meta", "gender"]
                    : new HashSet<string> { "resourceType", "id", "meta", "status", "code", "issued" }, names); // status and code are mandatory
                Assert.DoesNotContain(type == "Patient" ? "name" : "subject", names);
            }
        }
    }

    [Fact]
    public async Task Several_typeFilters_for_a_type_are_ORed_without_duplicates()
    {
        var url = "/fhir/$export?_type=Observation" +
                  "&_typeFilter=" + Uri.EscapeDataString("Observation?_id=obs-1,obs-2") +
                  "&_typeFilter=" + Uri.EscapeDataString("Observation?_id=obs-2,obs-3");

        var manifest = await ExportAsync(HttpMethod.Get, url);

        var lines = new List<string>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            lines.AddRange((await http.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(lines.Count, output.GetProperty("count").GetInt64());
        }
        Assert.Equal(["obs-1", "obs-2", "obs-3"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task IncludeAssociatedData_is_accepted_and_reported_as_not_supported()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/$export?_type=Organization&includeAssociatedData=LatestProvenanceResources");

        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        var outcome = JsonDocument.Parse(await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).RootElement;
        Assert.Equal("information", outcome.GetProperty("issue")[0].GetProperty("severity").GetString());
        Assert.Equal("not-supported", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Files_resume_with_byte_ranges_and_disappear_with_the_job()
    {
        var (status, manifest) = await ExportWithStatusAsync("/fhir/$export?_type=Patient");
        var url = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        var whole = await http.GetByteArrayAsync(url, ct);

        using var first = new HttpRequestMessage(HttpMethod.Get, url);
        first.Headers.Range = new RangeHeaderValue(0, 99);
        using var head = await http.SendAsync(first, ct);
        using var rest = new HttpRequestMessage(HttpMethod.Get, url);
        rest.Headers.Range = new RangeHeaderValue(100, null);
        using var tail = await http.SendAsync(rest, ct);

        Assert.Equal(HttpStatusCode.PartialContent, head.StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        byte[] joined = [.. await head.Content.ReadAsByteArrayAsync(ct), .. await tail.Content.ReadAsByteArrayAsync(ct)];
        Assert.Equal(whole, joined);

        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);
        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(status, ct), HttpStatusCode.NotFound, "not-found");
        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(url, ct), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Files_are_gzipped_for_clients_that_accept_it()
    {
        var manifest = await ExportAsync(HttpMethod.Get, "/fhir/$export?_type=Encounter");
        var url = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        var plain = await http.GetByteArrayAsync(url, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await http.SendAsync(request, ct);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        var compressed = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.True(compressed.Length < plain.Length / 3, $"gzip gave {compressed.Length} of {plain.Length} bytes");
        await using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await unzip.CopyToAsync(unzipped, ct);
        Assert.Equal(plain, unzipped.ToArray());
    }

    [Fact]
    public async Task CapabilityStatement_advertises_the_export_operations()
    {
        var statement = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));

        Assert.Contains(statement.GetProperty("rest")[0].GetProperty("operation").EnumerateArray(), o => o.GetProperty("name").GetString() == "export");
        Assert.Contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data", statement.GetProperty("instantiates").EnumerateArray().Select(i => i.GetString()));
    }

    [Theory]
    [InlineData("/fhir/$export", null, null, HttpStatusCode.BadRequest, "invalid")]                                         // no Prefer
    [InlineData("/fhir/$export", "respond-async", "text/html", HttpStatusCode.NotAcceptable, "not-supported")]
    [InlineData("/fhir/$export", "respond-async, async-mode=bundle", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?_outputFormat=text/csv", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?_type=Patientt", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?_since=yesterday", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?organizeOutputBy=Encounter", "respond-async", null, HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("/fhir/$export?organizeOutputBy=Patient&_since=2020-01-01", "respond-async", null, HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("/fhir/$export?organizeOutputBy=Patient&_elements=id", "respond-async", null, HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("/fhir/$export?organizeOutputBy=Patient&_typeFilter=Observation%3Fstatus%3Dfinal", "respond-async", null, HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("/fhir/$export?organizeOutputBy=Bogus", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?patient=Patient/pat-1", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    [InlineData("/fhir/$export?_bogus=1", "respond-async", null, HttpStatusCode.BadRequest, "invalid")]
    public async Task Bad_kick_off_is_refused_before_any_job_exists(string url, string? prefer, string? accept, HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, ct);

        await FhirAssert.OperationOutcomeAsync(response, status, code);
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    [Fact]
    public async Task Export_of_an_unknown_group_is_404_at_kick_off()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Group/no-such-group/$export");
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");

        using var response = await http.SendAsync(request, ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    [Fact]
    public async Task Post_kick_off_with_a_non_json_body_is_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$export") { Content = new StringContent("_type=Patient", Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");

        await FhirAssert.OperationOutcomeAsync(await http.SendAsync(request, ct), HttpStatusCode.UnsupportedMediaType, "not-supported");
    }

    private async Task<JsonElement> ExportAsync(HttpMethod method, string url, string? parameters = null) =>
        (await ExportWithStatusAsync(url, method, parameters)).Manifest;

    private async Task<(string Status, JsonElement Manifest)> ExportWithStatusAsync(string url, HttpMethod? method = null, string? parameters = null,
        string prefer = "respond-async")
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        request.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        if (parameters is not null)
        {
            request.Content = new StringContent(parameters, Encoding.UTF8, "application/fhir+json");
        }
        using var accepted = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!.ToString();
        Assert.StartsWith("http", status);

        var client = new AsyncClient(http);
        using var done = await client.WaitAsync(status, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.StartsWith("application/json", done.Content.Headers.ContentType!.ToString());
        Assert.NotNull(done.Content.Headers.Expires);
        return (status, await FhirAssert.JsonAsync(done));
    }

    /// <summary>Downloads every output file; checks type, line count and content type; returns lines per type.</summary>
    private async Task<Dictionary<string, long>> VerifyFilesAsync(JsonElement manifest)
    {
        var counts = new Dictionary<string, long>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var type = output.GetProperty("type").GetString()!;
            var url = output.GetProperty("url").GetString()!;
            Assert.True(Uri.IsWellFormedUriString(url, UriKind.Absolute));
            using var response = await http.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/fhir+ndjson", response.Content.Headers.ContentType!.MediaType);
            var lines = (await response.Content.ReadAsStringAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var ids = new HashSet<string>();
            foreach (var line in lines)
            {
                var resource = JsonDocument.Parse(line).RootElement;
                Assert.Equal(type, resource.GetProperty("resourceType").GetString());
                Assert.True(ids.Add(resource.GetProperty("id").GetString()!), "duplicate resource in the export");
            }
            Assert.Equal(lines.Length, output.GetProperty("count").GetInt64());
            counts[type] = counts.GetValueOrDefault(type) + lines.Length;
        }
        return counts;
    }
}
