using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.Tests.SampleUpstream;

public sealed class ReadAndMetadataTests(DefaultUpstreamFixture fixture) : IClassFixture<DefaultUpstreamFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Metadata_is_an_R4_CapabilityStatement_listing_generated_types_search_params_and_everything()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await Client.GetAsync("metadata", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var statement = JsonSerializer.Deserialize<CapabilityStatement>(await response.Content.ReadAsStringAsync(ct), new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector))!;

        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var rest = Assert.Single(statement.Rest);
        foreach (var type in new[] { "Patient", "Encounter", "Observation", "Condition", "MedicationRequest", "Organization", "Practitioner", "Group", "Provenance" })
        {
            var resource = Assert.Single(rest.Resource, r => r.Type == type);
            Assert.Contains(resource.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType);
            Assert.Contains(resource.SearchParam, p => p.Name == "_lastUpdated");
        }
        Assert.Contains(rest.Resource.Single(r => r.Type == "Observation").SearchParam, p => p.Name == "patient");
        Assert.Contains(rest.Resource.Single(r => r.Type == "Patient").Operation, o => o.Name == "everything");
        Assert.Contains(rest.Interaction, i => i.Code == CapabilityStatement.SystemRestfulInteraction.Transaction);
    }

    [Fact]
    public async Task Read_returns_the_resource_with_weak_ETag_and_Last_Modified()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await Client.GetAsync("Patient/pat-5", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var patient = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("pat-5", patient.GetProperty("id").GetString());
        Assert.Equal("1", patient.GetProperty("meta").GetProperty("versionId").GetString());
        Assert.StartsWith("Practitioner/prac-", patient.GetProperty("generalPractitioner")[0].GetProperty("reference").GetString());
        Assert.Equal("Organization/org-5", BundleJson.Reference(patient, "managingOrganization"));
    }

    [Fact]
    public async Task Vread_returns_version_1_of_generated_resources_and_404_for_other_versions()
    {
        var ct = TestContext.Current.CancellationToken;
        var resource = await BundleJson.GetAsync(Client, "Observation/obs-42/_history/1", ct);
        Assert.Equal("obs-42", resource.GetProperty("id").GetString());

        var outcome = await BundleJson.GetAsync(Client, "Observation/obs-42/_history/2", ct, HttpStatusCode.NotFound);
        Assert.Equal("not-found", BundleJson.IssueCode(outcome));
    }

    [Theory]
    [InlineData("Patient/pat-1000")]
    [InlineData("Patient/pat-007")]
    [InlineData("Observation/pat-1")]
    [InlineData("Provenance/anything")]
    public async Task Read_of_an_unknown_id_is_404_with_a_not_found_outcome(string url)
    {
        var outcome = await BundleJson.GetAsync(Client, url, TestContext.Current.CancellationToken, HttpStatusCode.NotFound);
        Assert.Equal("not-found", BundleJson.IssueCode(outcome));
    }

    [Theory]
    [InlineData("Foo/1")]
    [InlineData("Foo")]
    [InlineData("Foo/1/_history/1")]
    public async Task Unknown_resource_type_is_404_with_an_OperationOutcome(string url)
    {
        var outcome = await BundleJson.GetAsync(Client, url, TestContext.Current.CancellationToken, HttpStatusCode.NotFound);
        Assert.Equal("not-supported", BundleJson.IssueCode(outcome));
    }

    [Fact]
    public async Task Unsupported_methods_on_known_paths_are_405_with_an_OperationOutcome()
    {
        var ct = TestContext.Current.CancellationToken;
        var patch = await BundleJson.SendAsync(Client, HttpMethod.Patch, "Patient/pat-1", "{}", ct, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("not-supported", BundleJson.IssueCode(patch));
        var delete = await BundleJson.SendAsync(Client, HttpMethod.Delete, "metadata", null, ct, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("not-supported", BundleJson.IssueCode(delete));
        await BundleJson.SendAsync(Client, HttpMethod.Put, "Patient", "{}", ct, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Same_seed_gives_byte_identical_pages_and_another_seed_differs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await SampleUpstreamHost.StartAsync(300, seed: 7, ct);
        await using var second = await SampleUpstreamHost.StartAsync(300, seed: 7, ct);
        await using var other = await SampleUpstreamHost.StartAsync(300, seed: 8, ct);

        foreach (var url in new[] { "Patient?_count=100", "Observation?_count=200&_lastUpdated=ge2025-03", "Practitioner?_count=10", "Patient/pat-9/$everything" })
        {
            var a = await PageAsync(first, url, ct);
            Assert.Equal(a, await PageAsync(second, url, ct));
            Assert.NotEqual(a, await PageAsync(other, url, ct));
        }
    }

    /// <summary>The page with the host's own base URL replaced, so hosts on different ports compare equal.</summary>
    private static async Task<string> PageAsync(SampleUpstreamHost host, string url, CancellationToken ct) =>
        (await host.Client.GetStringAsync(url, ct)).Replace(host.BaseUrl, "{base}", StringComparison.Ordinal);
}
