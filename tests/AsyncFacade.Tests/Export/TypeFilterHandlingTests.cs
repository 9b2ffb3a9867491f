using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export;

/// <summary>
/// `_typeFilter` under `Prefer: handling` (Bulk Data IG: strict by default). A filter the upstream would not apply is refused
/// at kick-off under strict handling; under lenient the export goes on and its error file says what the filter did not do.
/// Issue 14, case 6: before, the filter was silently dropped and the whole type exported as if filtered.
/// </summary>
[Collection(ReadOnlyDataCollection.Name)]
public sealed class TypeFilterHandlingTests(ReadOnlyDataFacade fixture)
{
    private readonly HttpClient http = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    // The sample upstream has no `code` search on Observation and does not list one in its CapabilityStatement.
    private static readonly string UnsupportedFilter = "/fhir/$export?_type=Observation&_typeFilter=" + Uri.EscapeDataString("Observation?code=8867-4");

    [Fact]
    public async Task A_filter_on_a_parameter_the_upstream_does_not_support_is_refused_at_kick_off_by_default()
    {
        using var response = await KickOffAsync(UnsupportedFilter, "respond-async");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = (await FhirAssert.JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("issue")[0];
        Assert.Equal("not-supported", issue.GetProperty("code").GetString());
        Assert.Contains("'code'", issue.GetProperty("diagnostics").GetString()); // the upstream's own words, under Prefer: handling=strict
        Assert.Contains("handling=lenient", issue.GetProperty("diagnostics").GetString());
        Assert.Equal("_typeFilter", issue.GetProperty("expression")[0].GetString());
    }

    [Fact]
    public async Task Explicit_strict_handling_refuses_it_too()
    {
        using var response = await KickOffAsync(UnsupportedFilter, "respond-async, handling=strict");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_filter_the_upstream_refuses_is_refused_at_kick_off_with_the_upstream_reason()
    {
        using var response = await KickOffAsync("/fhir/$export?_type=Observation&_typeFilter=" + Uri.EscapeDataString("Observation?_lastUpdated=gtnot-a-date"), "respond-async");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var diagnostics = (await FhirAssert.JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("issue")[0].GetProperty("diagnostics").GetString()!;
        Assert.Contains("400", diagnostics);
        Assert.Contains("_lastUpdated", diagnostics); // the sample upstream's own words about the bad date
    }

    [Fact]
    public async Task Under_lenient_handling_the_type_is_exported_unfiltered_and_the_error_file_says_so()
    {
        using var accepted = await KickOffAsync(UnsupportedFilter, "respond-async, handling=lenient");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var done = await new AsyncClient(http).WaitAsync(accepted.Content.Headers.ContentLocation!.ToString(), TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);

        Assert.Equal(1200, manifest.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        var issue = JsonDocument.Parse(await http.GetStringAsync(error.GetProperty("url").GetString(), ct)).RootElement.GetProperty("issue")[0];
        Assert.Equal("warning", issue.GetProperty("severity").GetString());
        Assert.Equal("not-supported", issue.GetProperty("code").GetString());
        Assert.Contains("`code`", issue.GetProperty("diagnostics").GetString());
        Assert.Contains("missing from the upstream's self link", issue.GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task A_filter_the_upstream_applies_exports_exactly_what_it_selects_under_strict_handling()
    {
        using var accepted = await KickOffAsync("/fhir/$export?_type=Observation&_typeFilter=" + Uri.EscapeDataString("Observation?_id=obs-1,obs-5"), "respond-async");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var done = await new AsyncClient(http).WaitAsync(accepted.Content.Headers.ContentLocation!.ToString(), TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);

        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var output = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        var ids = (await http.GetStringAsync(output.GetProperty("url").GetString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()).Order().ToList();
        Assert.Equal(["obs-1", "obs-5"], ids);
    }

    private async Task<HttpResponseMessage> KickOffAsync(string url, string prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        request.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        return await http.SendAsync(request, ct);
    }
}
