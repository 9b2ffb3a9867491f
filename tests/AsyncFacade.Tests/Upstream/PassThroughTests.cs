using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream;

[Collection(InMemoryCollection.Name)]
public sealed class PassThroughTests(InMemoryFacade fixture)
{
    private readonly HttpClient client = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private string FacadeBase => client.BaseAddress!.ToString().TrimEnd('/') + "/fhir";

    [Fact]
    public async Task Search_returns_a_searchset_whose_next_link_points_at_the_facade_and_works()
    {
        var page = await FhirAssert.JsonAsync(await client.GetAsync("/fhir/Patient?_count=2", ct));

        Assert.Equal("searchset", page.GetProperty("type").GetString());
        Assert.Equal(2, page.GetProperty("entry").GetArrayLength());
        var next = Link(page, "next");
        Assert.StartsWith(FacadeBase + "/", next);
        Assert.All(page.GetProperty("entry").EnumerateArray(), e => Assert.StartsWith(FacadeBase + "/Patient/", e.GetProperty("fullUrl").GetString()));

        var second = await FhirAssert.JsonAsync(await client.GetAsync(next, ct));
        var firstIds = Ids(page);
        var secondIds = Ids(second);
        Assert.Equal(2, secondIds.Count);
        Assert.Empty(firstIds.Intersect(secondIds));
    }

    [Fact]
    public async Task Read_is_forwarded_with_status_headers_and_body()
    {
        var page = await FhirAssert.JsonAsync(await client.GetAsync("/fhir/Patient?_count=1", ct));
        var id = Ids(page).Single();

        using var response = await client.GetAsync($"/fhir/Patient/{id}", ct);
        var patient = await FhirAssert.JsonAsync(response);

        Assert.Equal(id, patient.GetProperty("id").GetString());
        Assert.NotNull(response.Headers.ETag);
        Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Missing_resource_keeps_the_upstream_404_and_its_OperationOutcome()
    {
        using var response = await client.GetAsync("/fhir/Patient/does-not-exist", ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Create_returns_201_with_a_Location_on_the_facade()
    {
        var body = """{"resourceType":"Patient","name":[{"family":"PassThrough"}]}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/fhir+json");

        using var response = await client.PostAsync("/fhir/Patient", content, ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(FacadeBase + "/Patient/", location);
        using var read = await client.GetAsync(location, ct);
        Assert.Equal("PassThrough", (await FhirAssert.JsonAsync(read)).GetProperty("name")[0].GetProperty("family").GetString());
    }

    [Fact]
    public async Task Search_by_POST_forwards_the_form_body()
    {
        var page = await FhirAssert.JsonAsync(await client.GetAsync("/fhir/Patient?_count=1", ct));
        var id = Ids(page).Single();
        using var form = new FormUrlEncodedContent([new("_id", id)]);

        var result = await FhirAssert.JsonAsync(await client.PostAsync("/fhir/Patient/_search", form, ct));

        Assert.Equal([id], Ids(result));
    }

    [Fact]
    public async Task Forwarded_host_and_proto_shape_the_rewritten_links()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_count=1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "fhir.example.org");

        var page = await FhirAssert.JsonAsync(await client.SendAsync(request, ct));

        Assert.StartsWith("https://fhir.example.org/fhir/", Link(page, "next"));
    }

    [Fact]
    public async Task Links_are_rewritten_whatever_Host_the_client_used()
    {
        // The embedded upstream is called on 127.0.0.1; a client using another name must still get facade links.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_count=1");
        request.Headers.Host = "localhost:" + client.BaseAddress!.Port;

        var page = await FhirAssert.JsonAsync(await client.SendAsync(request, ct));

        Assert.StartsWith($"http://localhost:{client.BaseAddress.Port}/fhir/Patient?", Link(page, "next"));
        Assert.StartsWith($"http://localhost:{client.BaseAddress.Port}/fhir/Patient/", page.GetProperty("entry")[0].GetProperty("fullUrl").GetString());
    }

    [Fact]
    public async Task A_malformed_Prefer_without_respond_async_is_left_to_the_upstream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_count=1");
        request.Headers.TryAddWithoutValidation("Prefer", "return=\"unterminated");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Non_json_answers_are_streamed_unchanged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/metadata");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CapabilityStatement", (await FhirAssert.JsonAsync(response)).GetProperty("resourceType").GetString());
    }

    private static string Link(System.Text.Json.JsonElement bundle, string relation) =>
        bundle.GetProperty("link").EnumerateArray().Single(l => l.GetProperty("relation").GetString() == relation).GetProperty("url").GetString()!;

    private static List<string> Ids(System.Text.Json.JsonElement bundle) =>
        bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!).ToList();
}
