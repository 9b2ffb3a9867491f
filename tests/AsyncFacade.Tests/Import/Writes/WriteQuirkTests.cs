using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.SampleUpstream;

namespace AsyncFacade.Tests.Import.Writes;

/// <summary>The sample upstream's write quirks on the wire, as the profiles that set them describe the real servers.</summary>
public sealed class WriteQuirkTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_medplum_profile_answers_a_minimal_batch_with_200_FHIR_JSON_and_an_empty_body_and_refuses_ids_that_are_not_UUIDs()
    {
        await using var host = await SampleUpstreamHost.StartAsync(0, 1, ct, new Dictionary<string, string?> { ["SampleUpstream:Profile"] = "medplum" });
        var id = Guid.NewGuid().ToString();
        var batch = $$$"""
            {"resourceType":"Bundle","type":"batch","entry":[
              {"request":{"method":"PUT","url":"Patient/{{{id}}}"},"resource":{"resourceType":"Patient","id":"{{{id}}}"}},
              {"request":{"method":"PUT","url":"Patient/not-a-uuid"},"resource":{"resourceType":"Patient","id":"not-a-uuid"}}]}
            """;

        using var minimal = await PostAsync(host, batch, "return=minimal");
        using var full = await PostAsync(host, batch, null);

        Assert.Equal(HttpStatusCode.OK, minimal.StatusCode);
        Assert.Equal("application/fhir+json", minimal.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await minimal.Content.ReadAsByteArrayAsync(ct));
        var entries = JsonDocument.Parse(await full.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("entry");
        Assert.Equal("200", entries[0].GetProperty("response").GetProperty("status").GetString()); // bare codes, and no new version
        Assert.EndsWith("/_history/1", entries[0].GetProperty("response").GetProperty("location").GetString());
        Assert.Equal("400", entries[1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("Invalid id", entries[1].GetProperty("response").GetProperty("outcome").GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Theory]
    [InlineData("LocationOnlyEntries", """{"location":"Patient/ID/_history/1"}""")]
    [InlineData("OutcomeOnlyEntries", """{"outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational","diagnostics":"All OK"}]}}""")]
    public async Task Scant_entry_answers_carry_no_status(string quirk, string expected)
    {
        await using var host = await SampleUpstreamHost.StartAsync(0, 1, ct, new Dictionary<string, string?> { [$"SampleUpstream:Writes:{quirk}"] = "true" });
        var batch = """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"PUT","url":"Patient/ID"},"resource":{"resourceType":"Patient","id":"ID"}}]}""";

        using var response = await PostAsync(host, batch, "return=minimal");

        var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("entry")[0];
        Assert.Equal(expected, entry.GetProperty("response").GetRawText());
    }

    private async Task<HttpResponseMessage> PostAsync(SampleUpstreamHost host, string bundle, string? prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl) { Content = new StringContent(bundle, Encoding.UTF8, "application/fhir+json") };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        return await host.Client.SendAsync(request, ct);
    }
}
