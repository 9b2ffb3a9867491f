using System.Net;
using System.Text;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>Every bad kick-off is refused with a 4xx OperationOutcome naming what is wrong, before any job exists.</summary>
[Collection(ImportCollection.Name)]
public sealed class ImportKickOffTests(ImportFixture fixture)
{
    private readonly HttpClient http = fixture.Importer.CreateRawClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{not json", "invalid", "not valid JSON" },
        { "[]", "invalid", "Parameters resource" },
        { """{"resourceType":"Patient","id":"x"}""", "invalid", "Parameters resource" },
        { """{"resourceType":"Parameters"}""", "invalid", "parameter" },
        { """{"resourceType":"Parameters","parameter":[]}""", "invalid", "at least one input" },
        { """{"resourceType":"Parameters","parameter":[{"name":"inputFormat","valueCode":"text/csv"}]}""", "not-supported", "inputFormat" },
        { """{"resourceType":"Parameters","parameter":[{"name":"mode","valueCode":"Overwrite"}]}""", "invalid", "mode" },
        { """{"resourceType":"Parameters","parameter":[{"name":"mode","valueCode":"1"}]}""", "invalid", "mode" },
        { """{"resourceType":"Parameters","parameter":[{"name":"storageDetail","part":[{"name":"type","valueCode":"aws-s3"}]}]}""", "not-supported", "storageDetail.type" },
        { """{"resourceType":"Parameters","parameter":[{"name":"_since","valueString":"x"}]}""", "invalid", "_since: unknown parameter" },
        { """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueCode":"Patient"}]}]}""", "invalid", "input[0]: needs" },
        { """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueInteger":1},{"name":"url","valueUri":"https://x"}]}]}""", "invalid", "input[0].type" },
        { Parameters(("Patientt", "http://127.0.0.1/x.ndjson")), "invalid", "input[0].type: 'Patientt'" },
        { Parameters(("Patient", "/files/x.ndjson")), "invalid", "input[0].url: '/files/x.ndjson' is not an absolute URL" },
        { Parameters(("Patient", "files/x.ndjson")), "invalid", "not an absolute URL" },
        { Parameters(("Patient", "ftp://127.0.0.1/x.ndjson")), "not-supported", "'ftp' scheme" },
        { Parameters(("Patient", "https://data.example.org/x.ndjson")), "forbidden", "not on this server's Import:AllowedHosts" },
        { Parameters(("Patient", "http://10.0.0.5/x.ndjson")), "forbidden", "Import:AllowedHosts" },
        { Parameters(("Patient", "http://169.254.169.254/latest/meta-data/")), "forbidden", "Import:AllowedHosts" },
        { Parameters(("Patient", "http://[::1]/x.ndjson")), "forbidden", "Import:AllowedHosts" },
        { Parameters(("Patient", "http://0x0a000001/x.ndjson")), "forbidden", "host '10.0.0.1' is not on" }, // 10.0.0.1 in hex
        { Parameters(("Patient", "http://user:secret@127.0.0.1/x.ndjson")), "forbidden", "user information" },
        { Parameters(("Patient", "http://files.localhost/x.ndjson")), "forbidden", "wildcard" },
        { Parameters(("Patient", "file:///etc/passwd")), "forbidden", "outside the directory" },
        { Parameters(("Patient", "file://fileserver/share/x.ndjson")), "forbidden", "not a host" },
        // Object-store URIs only the Azure Blob or S3 provider can read: this facade stores output on its local disk.
        { Parameters(("Patient", "az://imports/patients.ndjson")), "forbidden", "input[0].url: is an az:// URL, which is not on this facade's store (Storage:Provider is local)" },
        { Parameters(("Patient", "s3://imports/patients.ndjson")), "forbidden", "input[0].url: is an s3:// URL, which is not on this facade's store (Storage:Provider is local)" },
        { Parameters(("Patient", "AZ://imports/deep/path/p.ndjson")), "forbidden", "az:// URL, which is not on this facade's store" },
        { Parameters(("Patient", "s3://bucket-only")), "forbidden", "s3:// URL, which is not on this facade's store" },
        { """{"output":[{"type":"Patient","url":"s3://exports/Patient.ndjson"}]}""", "forbidden", "output[0].url: is an s3:// URL, which is not on this facade's store" },
        { """{"output":[]}""", "invalid", "output: at least one input" },
        { """{"output":[{"type":"Patient"}]}""", "invalid", "output[0]: needs a string type and url" },
        { """{"output":"x"}""", "invalid", "output: must be an array" },
        { """{"requiresAccessToken":true,"output":[{"type":"Patient","url":"http://127.0.0.2:9/x.ndjson"}]}""", "forbidden", "require an access token" },
        { """{"output":[{"type":"Patient","url":"http://example.net/x.ndjson"}],"error":[]}""", "forbidden", "output[0].url" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_body_is_refused_with_400_naming_the_problem(string body, string code, string expected)
    {
        using var response = await http.SendAsync(KickOff(body, body.StartsWith("{\"output\"", StringComparison.Ordinal) || body.StartsWith("{\"requires", StringComparison.Ordinal)
            ? "application/json" : "application/fhir+json"), ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(expected, outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    [Fact]
    public async Task An_object_store_input_among_good_ones_is_refused_by_its_index_and_no_job_is_created()
    {
        var file = Path.Combine(fixture.FileDirectory, "store-mix.ndjson");
        await File.WriteAllTextAsync(file, Patient("store-mix") + "\n", ct);

        using var response = await http.SendAsync(KickOff(Parameters(("Patient", new Uri(file).AbsoluteUri), ("Observation", "az://imports/obs.ndjson"))), ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "forbidden");
        var issue = outcome.GetProperty("issue")[0];
        Assert.StartsWith("input[1].url: is an az:// URL, which is not on this facade's store", issue.GetProperty("diagnostics").GetString());
        Assert.Equal("input[1].url", issue.GetProperty("expression")[0].GetString());
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    [Fact]
    public async Task File_urls_that_leave_the_directory_are_refused_and_a_missing_file_is_not_found()
    {
        var root = new Uri(fixture.FileDirectory + "/").AbsoluteUri;
        var outside = Path.Combine(Path.GetDirectoryName(fixture.FileDirectory)!, "outside.ndjson");
        await File.WriteAllTextAsync(outside, "{}", ct);
        var link = Path.Combine(fixture.FileDirectory, "link.ndjson");
        File.CreateSymbolicLink(link, outside);
        try
        {
            foreach (var url in new[] { root + "../outside.ndjson", root + "%2e%2e/outside.ndjson", root + "sub/%2E%2E/../outside.ndjson", new Uri(link).AbsoluteUri })
            {
                using var response = await http.SendAsync(KickOff(Parameters(("Patient", url))), ct);
                var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "forbidden");
                Assert.Contains("outside the directory", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
            }
            using var missing = await http.SendAsync(KickOff(Parameters(("Patient", root + "missing.ndjson"))), ct);
            await FhirAssert.OperationOutcomeAsync(missing, HttpStatusCode.BadRequest, "not-found");
        }
        finally
        {
            File.Delete(link);
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task Own_export_url_of_an_unknown_job_is_not_found()
    {
        var url = http.BaseAddress + "fhir/_async/0123456789abcdef/files/Patient-1.ndjson";

        using var response = await http.SendAsync(KickOff(Parameters(("Patient", url))), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "not-found");
    }

    [Theory]
    [InlineData(null, null, "application/fhir+json", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("respond-async, async-mode=bundle", null, "application/fhir+json", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("respond-async", "text/html", "application/fhir+json", HttpStatusCode.NotAcceptable, "not-supported")]
    [InlineData("respond-async", null, "text/plain", HttpStatusCode.UnsupportedMediaType, "not-supported")]
    [InlineData("respond-async, callback-url=\"http://10.0.0.1/cb\"", null, "application/fhir+json", HttpStatusCode.BadRequest, "invalid")]
    public async Task Bad_headers_are_refused_before_the_body_is_read(string? prefer, string? accept, string contentType, HttpStatusCode status, string code)
    {
        using var request = KickOff(Parameters(("Patient", fixture.Sources.BaseUrl + "/files/x.ndjson")), contentType, prefer);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, ct);

        await FhirAssert.OperationOutcomeAsync(response, status, code);
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    [Fact]
    public async Task Body_over_1_MB_is_413()
    {
        var body = Parameters(Enumerable.Range(0, 12_000).Select(i => ("Patient", $"{fixture.Sources.BaseUrl}/files/{i:D40}.ndjson")).ToArray());

        using var response = await http.SendAsync(KickOff(body), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-long");
    }

    [Fact]
    public async Task Unknown_parameters_are_ignored_with_Prefer_handling_lenient()
    {
        var url = fixture.Sources.Add($"lenient-{Guid.NewGuid():N}.ndjson", Patients("lenient" + Guid.NewGuid().ToString("N")[..6], 3));
        var body = Parameters(("Patient", url)).Replace("\"parameter\":[", "\"parameter\":[{\"name\":\"errorContainerName\",\"valueString\":\"x\"},");

        using var response = await http.SendAsync(KickOff(body, prefer: "respond-async, handling=lenient"), ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Content.Headers.ContentLocation);
    }
}
