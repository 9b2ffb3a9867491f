using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Security.Scopes.ScopedFacade;

namespace AsyncFacade.Tests.Security.Scopes;

/// <summary>
/// Writes with `patient/` scopes: bodies must lie in the token's compartment, targets by id must be in it already, and a
/// v2 filter (which cannot be checked on a body) refuses writes rather than let them through.
/// </summary>
[Collection(ScopedCollection.Name)]
public sealed class CompartmentWriteTests(ScopedFacade facade)
{
    private const string Writer = "pat-3";
    private const string Other = "pat-4";
    private readonly string token = Token("patient/Observation.cruds patient/Patient.rus", patient: Writer);

    [Fact]
    public async Task A_created_Observation_must_reference_the_tokens_patient_and_no_other()
    {
        using var created = await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token, Observation(Writer));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Contains($"Patient/{Other}", await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token, Observation(Other))));
        Assert.Contains("no patient", await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token,
            """{"resourceType":"Observation","status":"final","code":{"text":"no subject"}}""")));
        Assert.Contains("relative", await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token,
            """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"https://elsewhere.example/fhir/Patient/pat-3"}}""")));
        // A duplicate `subject` could be read either way by another parser: refused as invalid, never guessed.
        await FhirAssert.OperationOutcomeAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token,
            $$$"""{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/{{{Writer}}}"},"subject":{"reference":"Patient/{{{Other}}}"}}"""),
            HttpStatusCode.BadRequest, "invalid");
        await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token,
            $"""<Observation xmlns="http://hl7.org/fhir"><subject><reference value="Patient/{Writer}"/></subject></Observation>""", "application/fhir+xml"));
    }

    [Fact]
    public async Task Updates_and_deletes_reach_only_resources_already_in_the_compartment()
    {
        using var created = await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token, Observation(Writer));
        var id = (await FhirAssert.JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var othersObservation = (await facade.ObservationsAsync(Other, "laboratory")).Concat(await facade.ObservationsAsync(Other, "vital-signs")).First();

        Assert.Equal(HttpStatusCode.OK, (await facade.SendAsync(HttpMethod.Put, $"/fhir/Observation/{id}", token, Observation(Writer, id))).StatusCode);
        await RefusedAsync(await facade.SendAsync(HttpMethod.Put, $"/fhir/Observation/{id}", token, Observation(Other, id)));
        await NotFoundAsync(await facade.SendAsync(HttpMethod.Put, $"/fhir/Observation/{othersObservation}", token, Observation(Writer, othersObservation)));
        await NotFoundAsync(await facade.SendAsync(HttpMethod.Delete, $"/fhir/Observation/{othersObservation}", token));
        Assert.Equal(HttpStatusCode.OK, (await facade.Http.GetAsync($"/upstream/fhir/Observation/{othersObservation}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.True((await facade.SendAsync(HttpMethod.Delete, $"/fhir/Observation/{id}", token)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_patch_that_would_move_a_resource_to_another_patient_is_refused()
    {
        var own = (await facade.ObservationsAsync(Writer, "laboratory"))[0];
        var moving = $$$"""[{"op":"replace","path":"/subject","value":{"reference":"Patient/{{{Other}}}"}}]""";

        await RefusedAsync(await facade.SendAsync(HttpMethod.Patch, $"/fhir/Observation/{own}", token, moving, "application/json-patch+json"));
        await RefusedAsync(await facade.SendAsync(HttpMethod.Patch, $"/fhir/Observation/{own}", token, """[{"op":"replace","path":"","value":{}}]""", "application/json-patch+json"));
        await NotFoundAsync(await facade.SendAsync(HttpMethod.Patch, $"/fhir/Observation/{(await facade.ObservationsAsync(Other, "laboratory"))[0]}", token,
            """[{"op":"replace","path":"/status","value":"amended"}]""", "application/json-patch+json"));
    }

    [Fact]
    public async Task The_tokens_own_Patient_may_be_updated_but_no_other_and_none_created()
    {
        Assert.Equal(HttpStatusCode.OK, (await facade.SendAsync(HttpMethod.Put, $"/fhir/Patient/{Writer}", token,
            $$"""{"resourceType":"Patient","id":"{{Writer}}","gender":"unknown"}""")).StatusCode);

        await RefusedAsync(await facade.SendAsync(HttpMethod.Put, $"/fhir/Patient/{Other}", token, $$"""{"resourceType":"Patient","id":"{{Other}}"}"""));
        await RefusedAsync(await facade.SendAsync(HttpMethod.Put, $"/fhir/Patient/{Writer}", token, $$"""{"resourceType":"Patient","id":"{{Other}}"}"""));
        await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Patient", token, """{"resourceType":"Patient"}"""));
    }

    [Fact]
    public async Task Writes_under_a_v2_filter_are_refused_because_a_filter_cannot_be_checked_on_a_body()
    {
        var filtered = Token("patient/Observation.cruds?category=laboratory", patient: Writer);

        Assert.Contains("filter", await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", filtered, Observation(Writer))));
    }

    [Fact]
    public async Task Async_reads_searches_and_creates_are_narrowed_and_refused_as_the_synchronous_ones()
    {
        using var http = facade.ClientWith(token);
        var client = new AsyncClient(http);
        var ct = TestContext.Current.CancellationToken;

        var search = await client.KickOffAsync($"/fhir/Observation?patient=Patient/{Writer},Patient/{Other}&_count=200");
        var job = await facade.App.GetRequiredService<AsyncFacade.Server.Jobs.IJobStore>().GetAsync(new Uri(search).Segments[^1], ct);
        Assert.Contains($"patient=Patient%2F{Writer}", job!.Request.Url);
        Assert.Contains("handling=strict", job.Request.Headers["Prefer"]);
        var searchset = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(search))).GetProperty("resource");
        var observations = Resources(searchset);
        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Equal($"Patient/{Writer}", SubjectOf(o)));

        var others = (await facade.ObservationsAsync(Other, "laboratory"))[0];
        await NotFoundAsync(await facade.SendAsync(HttpMethod.Get, $"/fhir/Observation/{others}", token, prefer: "respond-async"));
        var own = await client.KickOffAsync($"/fhir/Observation/{(await facade.ObservationsAsync(Writer, "laboratory"))[0]}");
        Assert.Equal("200 OK", AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(own))).GetProperty("response").GetProperty("status").GetString());

        await RefusedAsync(await facade.SendAsync(HttpMethod.Post, "/fhir/Observation", token, Observation(Other), prefer: "respond-async"));
        await RefusedAsync(await facade.SendAsync(HttpMethod.Get, "/fhir/Observation?_include=Observation:subject", token, prefer: "respond-async"));
        var create = await client.KickOffAsync(new HttpRequestMessage(HttpMethod.Post, "/fhir/Observation")
        {
            Content = new StringContent(Observation(Writer), System.Text.Encoding.UTF8, "application/fhir+json"),
        });
        var created = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(await client.WaitAsync(create)));
        Assert.Equal("201 Created", created.GetProperty("response").GetProperty("status").GetString());
    }
}
