using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Security.Scopes.ScopedFacade;

namespace AsyncFacade.Tests.Security.Scopes;

/// <summary>
/// An upstream that has no `patient` search parameter on Condition and ignores unknown parameters: `patient=` would
/// quietly return every patient's Conditions. The facade narrows only types whose CapabilityStatement lists `patient`.
/// </summary>
public sealed class LenientUpstreamTests(LenientUpstreamTests.Facade facade) : IClassFixture<LenientUpstreamTests.Facade>
{
    public sealed class Facade : ScopedFacade
    {
        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["SampleUpstream:Paging:TypesWithoutPatientParameter:0"] = "Condition";
            return settings;
        }
    }

    [Fact]
    public async Task A_type_whose_upstream_does_not_list_patient_is_refused_to_a_patient_token()
    {
        var token = Token("patient/Condition.rs patient/Observation.rs", patient: PatientA);
        var leaked = await facade.UpstreamSearchAsync($"Condition?patient=Patient/{PatientA}&_count=50");
        Assert.Contains(leaked, c => SubjectOf(c) != $"Patient/{PatientA}"); // what forwarding `patient=` would have given

        Assert.Contains("CapabilityStatement", await RefusedAsync(await facade.GetAsync("/fhir/Condition", token), "system/Condition.s"));
        Assert.Contains("CapabilityStatement", await RefusedAsync(await facade.GetAsync($"/fhir/Condition/{leaked[0].GetProperty("id").GetString()}", token)));
        Assert.Contains("CapabilityStatement", await RefusedAsync(await facade.SendAsync(HttpMethod.Get, "/fhir/Condition", token, prefer: "respond-async")));
        // Types it does list are narrowed as usual.
        Assert.All(Resources(await FhirAssert.JsonAsync(await facade.GetAsync("/fhir/Observation", token))), o => Assert.Equal($"Patient/{PatientA}", SubjectOf(o)));
    }
}
