using System.Net;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Security.Scopes.ScopedFacade;

namespace AsyncFacade.Tests.Security.Scopes;

/// <summary>
/// Reads and searches with `patient/` and `user/` scopes over real HTTP: the facade narrows them to the patient's
/// compartment (and a v2 filter) before the upstream sees them, so no answer ever holds another patient's data.
/// </summary>
[Collection(ScopedCollection.Name)]
public sealed class CompartmentReadTests(ScopedFacade facade)
{
    private readonly string patientA = Token("patient/Patient.rs patient/Observation.rs", patient: PatientA);

    [Fact]
    public async Task A_patient_token_reads_its_own_Patient_and_is_refused_another_patient()
    {
        var own = await FhirAssert.JsonAsync(await facade.GetAsync($"/fhir/Patient/{PatientA}", patientA));
        Assert.Equal(PatientA, own.GetProperty("id").GetString());

        var diagnostics = await RefusedAsync(await facade.GetAsync($"/fhir/Patient/{PatientB}", patientA), "system/Patient.r");
        Assert.Contains($"Patient/{PatientA}", diagnostics);

        var patients = Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Patient?_count=50", patientA)));
        Assert.Equal([PatientA], patients.Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_patient_token_searches_only_Observations_that_reference_its_patient()
    {
        var observations = Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?_count=200", patientA)));

        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Equal($"Patient/{PatientA}", SubjectOf(o)));
        // The upstream itself has other patients' Observations: the narrowing is the facade's.
        Assert.Contains(await facade.UpstreamSearchAsync("Observation?_count=200"), o => SubjectOf(o) != $"Patient/{PatientA}");
    }

    [Fact]
    public async Task Next_links_of_a_narrowed_search_stay_narrowed_when_followed_through_the_facade()
    {
        var seen = new List<System.Text.Json.JsonElement>();
        string? url = "/fhir/Observation?_count=5";
        while (url is not null)
        {
            var page = await FhirAssert.JsonAsync(await facade.GetAsync(url, patientA));
            seen.AddRange(Resources(page));
            url = page.GetProperty("link").EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next")
                .Select(l => new Uri(l.GetProperty("url").GetString()!).PathAndQuery).FirstOrDefault();
        }

        Assert.All(seen, o => Assert.Equal($"Patient/{PatientA}", SubjectOf(o)));
        Assert.Equal((await facade.UpstreamSearchAsync($"Observation?patient=Patient/{PatientA}&_count=100")).Count, seen.Count);
    }

    [Theory]
    [InlineData("patient=Patient/" + PatientB)]
    [InlineData("subject=Patient/" + PatientB)]
    [InlineData("patient=Patient/" + PatientA + ",Patient/" + PatientB + "&subject=Patient/" + PatientB)]
    public async Task Asking_for_another_patient_in_the_query_returns_nothing(string query)
    {
        var bundle = await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?" + query, patientA));

        Assert.Empty(Resources(bundle));
    }

    [Theory]
    [InlineData("GET", "/fhir/Observation?_include=Observation:subject", null)]
    [InlineData("GET", "/fhir/Observation?_revinclude:iterate=Provenance:target", null)]
    [InlineData("GET", "/fhir/Observation?_contained=true", null)]
    [InlineData("GET", "/fhir/Observation?_INCLUDE=Observation:subject", null)]
    [InlineData("GET", "/fhir/Observation?_query=everyone", null)]
    [InlineData("POST", "/fhir/Observation/_search", "_include=Observation:encounter")]
    public async Task Parameters_that_would_add_resources_outside_the_compartment_are_refused(string method, string url, string? form)
    {
        using var response = await facade.SendAsync(new HttpMethod(method), url, patientA, form, "application/x-www-form-urlencoded");

        Assert.Contains("_", await RefusedAsync(response));
    }

    [Fact]
    public async Task A_method_override_header_is_refused_because_scopes_are_checked_against_the_method()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Patient/{PatientA}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token("system/*.read"));
        request.Headers.Add("X-HTTP-Method-Override", "DELETE");

        await FhirAssert.OperationOutcomeAsync(await facade.Http.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.BadRequest, "not-supported");
    }

    [Fact]
    public async Task A_search_posted_as_a_form_is_narrowed_like_a_GET()
    {
        using var response = await facade.SendAsync(HttpMethod.Post, "/fhir/Observation/_search", patientA, $"patient=Patient/{PatientB}", "application/x-www-form-urlencoded");

        Assert.Empty(Resources(await FhirAssert.JsonAsync(response)));
    }

    [Fact]
    public async Task Another_patients_Observation_by_id_is_not_found_and_the_own_ones_are_read()
    {
        var own = (await facade.ObservationsAsync(PatientA, "laboratory")).Concat(await facade.ObservationsAsync(PatientA, "vital-signs")).First();
        var others = (await facade.ObservationsAsync(PatientB, "laboratory")).Concat(await facade.ObservationsAsync(PatientB, "vital-signs")).First();

        Assert.Equal(own, (await FhirAssert.JsonAsync(await facade.GetAsync($"/fhir/Observation/{own}", patientA))).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await facade.GetAsync($"/fhir/Observation/{own}/_history/1", patientA)).StatusCode);
        await NotFoundAsync(await facade.GetAsync($"/fhir/Observation/{others}", patientA));
        await NotFoundAsync(await facade.GetAsync($"/fhir/Observation/{others}/_history/1", patientA));
        await NotFoundAsync(await facade.GetAsync("/fhir/Observation/obs-does-not-exist", patientA));
    }

    [Fact]
    public async Task A_v2_filter_narrows_searches_to_its_category_and_refuses_reads_outside_it()
    {
        var token = Token("patient/Observation.rs?category=laboratory", patient: PatientA);

        var observations = Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?_count=200", token)));

        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Equal(("laboratory", $"Patient/{PatientA}"), (CategoryOf(o), SubjectOf(o))));
        Assert.Empty(Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?category=vital-signs", token))));
        var laboratory = (await facade.ObservationsAsync(PatientA, "laboratory"))[0];
        var vitalSigns = (await facade.ObservationsAsync(PatientA, "vital-signs"))[0];
        Assert.Equal(HttpStatusCode.OK, (await facade.GetAsync($"/fhir/Observation/{laboratory}", token)).StatusCode);
        await NotFoundAsync(await facade.GetAsync($"/fhir/Observation/{vitalSigns}", token));
    }

    [Fact]
    public async Task Two_filters_are_alternatives_for_reads_but_one_search_cannot_serve_both()
    {
        var token = Token("patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs", patient: PatientA);

        var diagnostics = await RefusedAsync(await facade.GetAsync("/fhir/Observation", token), "system/Observation.s");

        Assert.Contains("several", diagnostics);
        Assert.Equal(HttpStatusCode.OK, (await facade.GetAsync($"/fhir/Observation/{(await facade.ObservationsAsync(PatientA, "laboratory"))[0]}", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await facade.GetAsync($"/fhir/Observation/{(await facade.ObservationsAsync(PatientA, "vital-signs"))[0]}", token)).StatusCode);
    }

    [Fact]
    public async Task Patient_scopes_without_a_patient_context_grant_nothing_and_the_refusal_says_so()
    {
        var diagnostics = await RefusedAsync(await facade.GetAsync("/fhir/Observation", Token("patient/Observation.rs")), "system/Observation.s");

        Assert.Contains("patient context", diagnostics);
    }

    [Fact]
    public async Task User_scopes_need_a_fhirUser_and_a_Patient_user_is_limited_like_a_patient()
    {
        Assert.Contains("fhirUser", await RefusedAsync(await facade.GetAsync("/fhir/Observation", Token("user/Observation.rs"))));

        var asPatient = Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?_count=200", Token("user/Observation.rs", fhirUser: $"Patient/{PatientB}"))));

        Assert.NotEmpty(asPatient);
        Assert.All(asPatient, o => Assert.Equal($"Patient/{PatientB}", SubjectOf(o)));
    }

    [Fact]
    public async Task A_Practitioner_user_gets_type_level_access_which_the_facade_cannot_narrow_to_the_user()
    {
        var token = Token("user/Observation.rs", fhirUser: "https://ehr.example/fhir/Practitioner/prac-1");

        var observations = Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation?_count=200", token)));

        Assert.True(observations.Select(SubjectOf).Distinct().Count() > 1, "a practitioner sees more than one patient");
        await RefusedAsync(await facade.GetAsync("/fhir/Patient?_count=1", token), "system/Patient.s");
    }

    [Fact]
    public async Task Everything_and_compartment_searches_are_for_the_tokens_own_patient_only()
    {
        var everyType = Token("patient/*.rs", patient: PatientA);

        var everything = Resources(await FhirAssert.JsonAsync(await facade.GetAsync($"/fhir/Patient/{PatientA}/$everything?_count=500", everyType)));
        Assert.All(everything, r => Assert.True(r.GetProperty("id").GetString() == PatientA || SubjectOf(r) == $"Patient/{PatientA}"));
        await RefusedAsync(await facade.GetAsync($"/fhir/Patient/{PatientB}/$everything", everyType), "system/*.rs");
        // $everything reads every compartment type: a grant on some of them is not enough.
        await RefusedAsync(await facade.GetAsync($"/fhir/Patient/{PatientA}/$everything", patientA), "patient/*.rs");
        await RefusedAsync(await facade.GetAsync($"/fhir/Patient/{PatientB}/Observation", patientA), "system/Observation.s");
    }

    [Theory]
    [InlineData("POST", "/fhir", """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Observation"}}]}""", "batch")]
    [InlineData("GET", "/fhir?_type=Observation", null, "system-level search")]
    [InlineData("GET", "/fhir/_history", null, "system-level history")]
    [InlineData("GET", "/fhir/Observation/_history", null, "history")]
    [InlineData("GET", "/fhir/Observation/$lastn", null, "$lastn")]
    public async Task What_cannot_be_narrowed_is_refused_and_the_refusal_says_why(string method, string url, string? body, string what)
    {
        using var response = await facade.SendAsync(new HttpMethod(method), url, Token("patient/*.*", patient: PatientA), body);

        Assert.Contains(what, await RefusedAsync(response));
    }
}
