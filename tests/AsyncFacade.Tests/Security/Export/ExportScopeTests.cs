using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security.Export;

/// <summary>
/// `$export` under SMART scopes, against the untouched sample data (100 patients `pat-0`…`pat-99`, 12 Observations
/// each): no quiet narrowing, patient-scoped tokens limited to their patient, Group needing Group, v2 scope filters
/// applied to every search. Counts are checked exactly against the upstream's own answer.
/// </summary>
public sealed class ExportScopeTests(ScopedExportFacade facade) : IClassFixture<ScopedExportFacade>
{
    private const string Patient = "pat-7";

    [Fact]
    public async Task An_export_without_type_that_the_token_cannot_fully_read_is_refused_naming_the_missing_scopes()
    {
        var token = ScopedExportFacade.Token("system/Patient.read system/Condition.rs");

        using var response = await facade.KickOffAsync("/fhir/$export", token);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains("insufficient_scope", challenge);
        Assert.Contains("system/Observation.rs", challenge);
        Assert.Contains("system/Observation.rs", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        Assert.Contains("handling=lenient", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task A_lenient_export_is_narrowed_to_the_readable_types_and_its_error_file_names_each_type_left_out()
    {
        var token = ScopedExportFacade.Token("system/Patient.read system/Condition.rs");

        var manifest = await facade.ManifestAsync(await facade.KickOffAsync("/fhir/$export", token, "handling=lenient"), token);

        Assert.Equal(["Condition", "Patient"], manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()).Distinct().Order());
        var errors = await facade.LinesAsync(manifest, "error", token);
        var leftOut = errors.Where(e => e.GetProperty("issue")[0].GetProperty("code").GetString() == "forbidden")
            .Select(e => e.GetProperty("issue")[0].GetProperty("expression")[0].GetString()).Order().ToList();
        Assert.Contains("Observation", leftOut);
        Assert.Contains("Encounter", leftOut);
        Assert.DoesNotContain("Patient", leftOut);
        Assert.Contains(errors, e => e.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!.Contains("system/Observation.rs"));
        var lines = await facade.LinesAsync(manifest, "output", token);
        Assert.Equal(await facade.UpstreamCountAsync("Condition"), lines.Count(l => l.GetProperty("resourceType").GetString() == "Condition"));
    }

    [Fact]
    public async Task Named_types_the_token_cannot_read_are_refused_even_when_lenient()
    {
        var token = ScopedExportFacade.Token("system/Patient.rs");

        using var response = await facade.KickOffAsync("/fhir/$export?_type=Patient,Observation", token, "handling=lenient");

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("system/Observation.rs", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Theory]
    [InlineData("patient/*.rs", null)]
    [InlineData("user/*.rs", null)]
    [InlineData("user/*.rs", "Practitioner/prac-1")]
    public async Task Patient_and_user_scopes_without_a_patient_grant_no_bulk_data(string scope, string? fhirUser)
    {
        var token = ScopedExportFacade.Token(scope, fhirUser: fhirUser);

        foreach (var url in new[] { "/fhir/$export?_type=Patient", "/fhir/Patient/$export?_type=Patient", "/fhir/Group/grp-0/$export?_type=Patient" })
        {
            using var response = await facade.KickOffAsync(url, token);
            await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Theory]
    [InlineData("/fhir/$export")]
    [InlineData("/fhir/Group/grp-0/$export")]
    public async Task A_patient_scoped_token_cannot_run_a_system_or_group_export(string url)
    {
        var token = ScopedExportFacade.Token("patient/*.rs", patient: Patient);

        using var response = await facade.KickOffAsync(url, token);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("Patient/" + Patient, outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Theory]
    [InlineData(Patient, null)]
    [InlineData(null, "Patient/" + Patient)]
    public async Task A_patient_scoped_Patient_export_holds_that_patients_compartment_and_nothing_else(string? patient, string? fhirUser)
    {
        var token = ScopedExportFacade.Token(patient is null ? "user/*.rs" : "patient/*.rs", patient, fhirUser);

        var manifest = await facade.ManifestAsync(await facade.KickOffAsync("/fhir/Patient/$export?_type=Patient,Observation,Condition", token), token);

        var lines = await facade.LinesAsync(manifest, "output", token);
        var patients = lines.Where(l => l.GetProperty("resourceType").GetString() == "Patient").ToList();
        Assert.Equal([Patient], patients.Select(p => p.GetProperty("id").GetString()));
        var others = lines.Where(l => l.GetProperty("resourceType").GetString() != "Patient").ToList();
        Assert.All(others, l => Assert.Equal("Patient/" + Patient, l.GetProperty("subject").GetProperty("reference").GetString()));
        Assert.Equal(await facade.UpstreamCountAsync($"Observation?patient={Patient}"), others.Count(l => l.GetProperty("resourceType").GetString() == "Observation"));
        Assert.Equal(await facade.UpstreamCountAsync($"Condition?patient={Patient}"), others.Count(l => l.GetProperty("resourceType").GetString() == "Condition"));
    }

    [Fact]
    public async Task A_patient_scoped_token_cannot_name_other_patients()
    {
        var token = ScopedExportFacade.Token("patient/*.rs", patient: Patient);
        const string body = """{"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{"reference":"Patient/pat-8"}}]}""";

        using var response = await facade.KickOffAsync("/fhir/Patient/$export", token, parametersBody: body);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("Patient/pat-8", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task A_group_export_needs_read_on_Group()
    {
        var token = ScopedExportFacade.Token("system/Patient.rs system/Observation.rs");

        using var response = await facade.KickOffAsync("/fhir/Group/grp-0/$export?_type=Patient", token);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("system/Group.r", response.Headers.WwwAuthenticate.Single().ToString());
        var allowed = ScopedExportFacade.Token("system/Patient.rs system/Group.r");
        using var accepted = await facade.KickOffAsync("/fhir/Group/grp-0/$export?_type=Patient", allowed);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task A_v2_scope_filter_limits_every_search_of_its_type_exactly()
    {
        const string since = "2025-01-01T00:00:00Z";
        var token = ScopedExportFacade.Token($"system/Observation.rs?_lastUpdated=ge{since} system/Patient.rs");

        var manifest = await facade.ManifestAsync(await facade.KickOffAsync("/fhir/$export?_type=Observation,Patient", token), token);

        var lines = await facade.LinesAsync(manifest, "output", token);
        var observations = lines.Where(l => l.GetProperty("resourceType").GetString() == "Observation").ToList();
        var expected = await facade.UpstreamCountAsync($"Observation?_lastUpdated=ge{since}");
        Assert.InRange(expected, 1, await facade.UpstreamCountAsync("Observation") - 1); // the filter must matter for the test to mean anything
        Assert.Equal(expected, observations.Count);
        Assert.Equal(observations.Count, observations.Select(o => o.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(observations, o => Assert.True(
            DateTimeOffset.Parse(o.GetProperty("meta").GetProperty("lastUpdated").GetString()!) >= DateTimeOffset.Parse(since)));
        Assert.Equal(await facade.UpstreamCountAsync("Patient"), lines.Count(l => l.GetProperty("resourceType").GetString() == "Patient"));
    }

    [Fact]
    public async Task A_scope_filter_the_upstream_cannot_apply_refuses_the_export_even_when_lenient()
    {
        var token = ScopedExportFacade.Token("system/Observation.rs?value-quantity=gt5");

        using var response = await facade.KickOffAsync("/fhir/$export?_type=Observation", token, "handling=lenient");

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("scope filter", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task The_job_keeps_the_callers_scopes_but_never_the_token()
    {
        var token = ScopedExportFacade.Token("system/Patient.rs", clientId: "scoped-job");
        using var accepted = await facade.KickOffAsync("/fhir/$export?_type=Patient", token);

        var job = await facade.App.GetRequiredService<AsyncFacade.Server.Jobs.IJobStore>()
            .GetAsync(accepted.Content.Headers.ContentLocation!.Segments[^1], TestContext.Current.CancellationToken);

        Assert.Equal("system/Patient.rs", job!.Request.Scopes?.Scope);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(job));
    }

    [Fact]
    public async Task Two_patients_of_one_app_never_see_each_others_export()
    {
        var mine = ScopedExportFacade.Token("patient/*.rs", patient: Patient, clientId: "patient-app");
        var theirs = ScopedExportFacade.Token("patient/*.rs", patient: "pat-8", clientId: "patient-app");
        using var accepted = await facade.KickOffAsync("/fhir/Patient/$export?_type=Patient", mine);
        var manifest = await facade.ManifestAsync(accepted, mine);
        var status = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        var file = new Uri(manifest.GetProperty("output")[0].GetProperty("url").GetString()!).AbsolutePath;

        foreach (var (method, url) in new[] { (HttpMethod.Get, status), (HttpMethod.Get, file), (HttpMethod.Delete, status) })
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", theirs);
            using var response = await facade.Http.SendAsync(request, TestContext.Current.CancellationToken);
            await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
        }
    }

    [Fact]
    public async Task Import_is_refused_to_a_patient_scoped_token()
    {
        var token = ScopedExportFacade.Token("patient/*.cruds", patient: Patient);
        const string body = """{"resourceType":"Parameters","parameter":[{"name":"inputFormat","valueString":"application/fhir+ndjson"},{"name":"input","part":[{"name":"type","valueString":"Observation"},{"name":"url","valueUri":"https://data.example.org/o.ndjson"}]}]}""";

        using var response = await facade.KickOffAsync("/fhir/$import", token, parametersBody: body);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.Single().ToString());
    }
}
