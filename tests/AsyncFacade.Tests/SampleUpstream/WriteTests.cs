using System.Net;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.Tests.SampleUpstream;

public sealed class WriteTests(WritableUpstreamFixture fixture) : IClassFixture<WritableUpstreamFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Create_returns_201_with_Location_ETag_and_the_stored_resource_which_read_and_search_then_return()
    {
        var ct = TestContext.Current.CancellationToken;
        var patientId = NewId();
        using var response = await Client.PostAsync("Observation", Json(Observation(null, patientId)), ct);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"{fixture.Host.BaseUrl}/Observation/{id}/_history/1", response.Headers.Location?.ToString());
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal("1", created.GetProperty("meta").GetProperty("versionId").GetString());
        Assert.Equal("final", created.GetProperty("status").GetString());

        Assert.Equal(id, (await BundleJson.GetAsync(Client, $"Observation/{id}", ct)).GetProperty("id").GetString());
        Assert.Equal([id], BundleJson.Ids(await BundleJson.GetAsync(Client, $"Observation?patient={patientId}", ct)));
        Assert.Equal([id], BundleJson.Ids(await BundleJson.GetAsync(Client, $"Observation?_id={id}&_lastUpdated=ge2025-12-31", ct)));
    }

    [Fact]
    public async Task Create_with_return_minimal_has_no_body()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = Json("""{"resourceType":"Patient","active":true}""") };
        request.Headers.Add("Prefer", "return=minimal");
        using var response = await Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task Update_of_a_generated_resource_bumps_the_version_and_search_returns_it_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var original = await BundleJson.GetAsync(Client, "Observation/obs-30", ct);
        var patient = BundleJson.Reference(original, "subject")!;
        var updated = original.GetRawText().Replace("\"final\"", "\"amended\"", StringComparison.Ordinal);

        var stored = await BundleJson.SendAsync(Client, HttpMethod.Put, "Observation/obs-30", updated, ct, HttpStatusCode.OK);
        Assert.Equal("2", stored.GetProperty("meta").GetProperty("versionId").GetString());

        Assert.Equal("amended", (await BundleJson.GetAsync(Client, "Observation/obs-30", ct)).GetProperty("status").GetString());
        Assert.Equal("final", (await BundleJson.GetAsync(Client, "Observation/obs-30/_history/1", ct)).GetProperty("status").GetString());
        var compartment = BundleJson.Resources(await BundleJson.GetAsync(Client, $"Observation?patient={patient}&_count=100", ct));
        Assert.Equal(12, compartment.Count);
        Assert.Single(compartment, r => r.GetProperty("id").GetString() == "obs-30");
        Assert.Equal("amended", compartment[^1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Put_to_a_new_id_creates_it_with_201_and_again_updates_with_200()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        await BundleJson.SendAsync(Client, HttpMethod.Put, $"Patient/{id}", $$"""{"resourceType":"Patient","id":"{{id}}"}""", ct, HttpStatusCode.Created);
        var second = await BundleJson.SendAsync(Client, HttpMethod.Put, $"Patient/{id}", """{"resourceType":"Patient","active":false}""", ct, HttpStatusCode.OK);
        Assert.Equal("2", second.GetProperty("meta").GetProperty("versionId").GetString());
        Assert.Equal(id, second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delete_makes_reads_410_is_idempotent_and_removes_the_resource_from_search()
    {
        var ct = TestContext.Current.CancellationToken;
        await BundleJson.SendAsync(Client, HttpMethod.Delete, "Condition/cond-11", null, ct, HttpStatusCode.NoContent);
        await BundleJson.SendAsync(Client, HttpMethod.Delete, "Condition/cond-11", null, ct, HttpStatusCode.NoContent);
        await BundleJson.SendAsync(Client, HttpMethod.Delete, $"Condition/{NewId()}", null, ct, HttpStatusCode.NoContent);

        Assert.Equal("deleted", BundleJson.IssueCode(await BundleJson.GetAsync(Client, "Condition/cond-11", ct, HttpStatusCode.Gone)));
        Assert.Empty(BundleJson.Ids(await BundleJson.GetAsync(Client, "Condition?_id=cond-11", ct)));
        Assert.Equal(["cond-10"], BundleJson.Ids(await BundleJson.GetAsync(Client, "Condition?patient=pat-5", ct)));
    }

    [Theory]
    [InlineData("PUT", "Patient/p1", """{"resourceType":"Observation","id":"p1"}""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "Patient/p1", """{"resourceType":"Patient","id":"p2"}""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "Patient/p1", """{"resourceType":"Patient",""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "Patient/p1", """[1,2]""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "Patient/p1", """{"resourceType":"Patient","gender":42}""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "Patient/p1", """{"resourceType":"Patient","notAnElement":true}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "Patient", """{"active":true}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "Patient", "", HttpStatusCode.BadRequest)]
    [InlineData("POST", "Foo", """{"resourceType":"Foo"}""", HttpStatusCode.NotFound)]
    [InlineData("PUT", "Patient/bad_id!", """{"resourceType":"Patient"}""", HttpStatusCode.BadRequest)]
    public async Task Invalid_writes_are_rejected_with_an_OperationOutcome(string method, string url, string body, HttpStatusCode expected)
    {
        var outcome = await BundleJson.SendAsync(Client, new HttpMethod(method), url, body, TestContext.Current.CancellationToken, expected);
        Assert.Contains(BundleJson.IssueCode(outcome), new[] { "invalid", "not-supported" });
    }

    [Fact]
    public async Task History_lists_creates_updates_and_deletes_since_a_time_oldest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        var created = await BundleJson.SendAsync(Client, HttpMethod.Put, $"Basic/{id}", Basic(id), ct, HttpStatusCode.Created);
        var since = created.GetProperty("meta").GetProperty("lastUpdated").GetString()!;
        await BundleJson.SendAsync(Client, HttpMethod.Put, $"Basic/{id}", Basic(id), ct, HttpStatusCode.OK);
        await BundleJson.SendAsync(Client, HttpMethod.Delete, $"Basic/{id}", null, ct, HttpStatusCode.NoContent);

        var pages = await BundleJson.AllPagesAsync(Client, $"Basic/_history?_since={Uri.EscapeDataString(since)}&_count=2", ct);
        var mine = pages.SelectMany(p => p.GetProperty("entry").EnumerateArray())
            .Where(e => e.GetProperty("fullUrl").GetString()!.EndsWith($"/Basic/{id}", StringComparison.Ordinal)).ToList();

        Assert.All(pages, p => Assert.Equal("history", p.GetProperty("type").GetString()));
        Assert.Equal(["PUT", "PUT", "DELETE"], mine.Select(e => e.GetProperty("request").GetProperty("method").GetString()));
        Assert.Equal(["201", "200", "204"], mine.Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        Assert.False(mine[2].TryGetProperty("resource", out _));
    }

    [Fact]
    public async Task Transaction_with_one_bad_entry_applies_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        var bundle = $$$"""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"resource":{{{Basic(id)}}},"request":{"method":"PUT","url":"Basic/{{{id}}}"}},
          {"request":{"method":"DELETE","url":"Patient/pat-1"}},
          {"resource":{"resourceType":"Patient","birthDate":"not-a-date"},"request":{"method":"POST","url":"Patient"}}
        ]}
        """;
        var outcome = await BundleJson.SendAsync(Client, HttpMethod.Post, "", bundle, ct, HttpStatusCode.BadRequest);

        Assert.Equal("invalid", BundleJson.IssueCode(outcome));
        await BundleJson.GetAsync(Client, $"Basic/{id}", ct, HttpStatusCode.NotFound);
        await BundleJson.GetAsync(Client, "Patient/pat-1", ct);
    }

    [Fact]
    public async Task Transaction_applies_everything_and_resolves_urn_uuid_references()
    {
        var ct = TestContext.Current.CancellationToken;
        var bundle = """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a","resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
          {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"}},"request":{"method":"POST","url":"Observation"}},
          {"request":{"method":"GET","url":"Patient/pat-2"}}
        ]}
        """;
        var response = await BundleJson.SendAsync(Client, HttpMethod.Post, "", bundle, ct, HttpStatusCode.OK);
        var entries = response.GetProperty("entry").EnumerateArray().ToList();

        Assert.Equal("transaction-response", response.GetProperty("type").GetString());
        Assert.Equal(["201 Created", "201 Created", "200 OK"], entries.Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        var location = entries[0].GetProperty("response").GetProperty("location").GetString()!;
        var patientId = location.Split('/')[1];
        var observations = BundleJson.Resources(await BundleJson.GetAsync(Client, $"Observation?patient={patientId}", ct));
        Assert.Equal($"Patient/{patientId}", BundleJson.Reference(Assert.Single(observations), "subject"));
        Assert.Equal("pat-2", entries[2].GetProperty("resource").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Batch_reports_each_entry_independently()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = NewId();
        var bundle = $$$"""
        {"resourceType":"Bundle","type":"batch","entry":[
          {"resource":{{{Basic(id)}}},"request":{"method":"PUT","url":"Basic/{{{id}}}"}},
          {"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Observation"}},
          {"request":{"method":"GET","url":"Patient/pat-3"}},
          {"request":{"method":"GET","url":"Patient/nope"}},
          {"request":{"method":"GET","url":"Observation?patient=pat-3&_count=2"}},
          {"request":{"method":"DELETE","url":"Basic/{{{id}}}"}},
          {"request":{"method":"PATCH","url":"Patient/pat-3"}}
        ]}
        """;
        var response = await BundleJson.SendAsync(Client, HttpMethod.Post, "", bundle, ct, HttpStatusCode.OK);
        var entries = response.GetProperty("entry").EnumerateArray().ToList();

        Assert.Equal("batch-response", response.GetProperty("type").GetString());
        Assert.Equal(["201 Created", "400 Bad Request", "200 OK", "404 Not Found", "200 OK", "204 No Content", "400 Bad Request"],
            entries.Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        Assert.Equal("invalid", BundleJson.IssueCode(entries[1].GetProperty("response").GetProperty("outcome")));
        Assert.Equal(2, BundleJson.Ids(entries[4].GetProperty("resource")).Count);
        await BundleJson.GetAsync(Client, $"Basic/{id}", ct, HttpStatusCode.Gone);
    }

    [Fact]
    public async Task An_empty_host_has_no_data_but_accepts_writes_of_any_resource_type()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var empty = await SampleUpstreamHost.StartAsync(0, seed: 1, ct);

        foreach (var type in new[] { "Patient", "Observation", "Group", "Organization" })
        {
            var page = await BundleJson.GetAsync(empty.Client, $"{type}?_total=accurate", ct);
            Assert.Equal(0, page.GetProperty("total").GetInt64());
            Assert.False(page.TryGetProperty("entry", out _));
        }
        await BundleJson.GetAsync(empty.Client, "Patient/pat-0", ct, HttpStatusCode.NotFound);

        var bundle = """
        {"resourceType":"Bundle","type":"batch","entry":[
          {"resource":{"resourceType":"Immunization","id":"imm-1","status":"completed","vaccineCode":{"text":"flu"},"patient":{"reference":"Patient/p-1"},"occurrenceDateTime":"2024-10-01"},"request":{"method":"PUT","url":"Immunization/imm-1"}},
          {"resource":{"resourceType":"Provenance","target":[{"reference":"Immunization/imm-1"}],"recorded":"2024-10-01T10:00:00Z","agent":[{"who":{"display":"importer"}}]},"request":{"method":"POST","url":"Provenance"}}
        ]}
        """;
        var response = await BundleJson.SendAsync(empty.Client, HttpMethod.Post, "", bundle, ct, HttpStatusCode.OK);
        Assert.All(response.GetProperty("entry").EnumerateArray(), e => Assert.Equal("201 Created", e.GetProperty("response").GetProperty("status").GetString()));
        Assert.Equal(["imm-1"], BundleJson.Ids(await BundleJson.GetAsync(empty.Client, "Immunization?patient=p-1", ct)));
        Assert.Single(BundleJson.Ids(await BundleJson.GetAsync(empty.Client, "Provenance", ct)));
    }

    [Fact]
    public async Task Category_search_matches_generated_and_stored_Observations_by_their_category_codes()
    {
        var ct = TestContext.Current.CancellationToken;
        var patientId = NewId();
        using var created = await Client.PostAsync("Observation", Json($$"""
            {"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/{{patientId}}"},
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}]}
            """), ct);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!;

        Assert.Equal([id], BundleJson.Ids(await BundleJson.GetAsync(Client, $"Observation?patient={patientId}&category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", ct)));
        Assert.Empty(BundleJson.Ids(await BundleJson.GetAsync(Client, $"Observation?patient={patientId}&category=vital-signs,exam", ct)));
        var laboratory = BundleJson.Resources(await BundleJson.GetAsync(Client, "Observation?patient=pat-1&category=laboratory&_count=100", ct));
        var vitalSigns = BundleJson.Resources(await BundleJson.GetAsync(Client, "Observation?patient=pat-1&category=vital-signs&_total=accurate", ct));
        Assert.All(laboratory, o => Assert.Equal("laboratory", o.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("code").GetString()));
        Assert.Equal(12, laboratory.Count + vitalSigns.Count);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private static string Basic(string id) => $$$"""{"resourceType":"Basic","id":"{{{id}}}","code":{"text":"test"}}""";

    private static string Observation(string? id, string patientId) =>
        $$$"""{"resourceType":"Observation",{{{(id is null ? "" : $"\"id\":\"{id}\",")}}}"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/{{{patientId}}}"},"valueQuantity":{"value":70,"unit":"/min"}}""";
}
