using AsyncFacade.Server.Security.Scopes;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.Security.Scopes;

/// <summary>The permission table (SMART v2 letters) each FHIR interaction needs, and the request rewrites narrowing uses.</summary>
public sealed class FhirInteractionTests
{
    [Theory]
    [InlineData("GET", "/fhir/Observation/1", "Read", "Observation", "r")]
    [InlineData("HEAD", "/fhir/Observation/1/_history/2", "Read", "Observation", "r")]
    [InlineData("GET", "/fhir/Observation/1/_history", "Read", "Observation", "r")]
    [InlineData("GET", "/fhir/Observation?code=x", "Search", "Observation", "s")]
    [InlineData("POST", "/fhir/Observation/_search", "Search", "Observation", "s")]
    [InlineData("GET", "/fhir/Patient/p1/Observation", "CompartmentSearch", "Observation", "s")]
    [InlineData("POST", "/fhir/Observation", "Create", "Observation", "c")]
    [InlineData("PUT", "/fhir/Observation/1", "Update", "Observation", "u")]
    [InlineData("PATCH", "/fhir/Observation/1", "Patch", "Observation", "u")]
    [InlineData("DELETE", "/fhir/Observation/1", "Delete", "Observation", "d")]
    [InlineData("PUT", "/fhir/Observation?identifier=x", "ConditionalUpdate", "Observation", "us")]
    [InlineData("DELETE", "/fhir/Observation?identifier=x", "ConditionalDelete", "Observation", "ds")]
    [InlineData("GET", "/fhir/Patient/p1/$everything", "Everything", "*", "rs")]
    [InlineData("GET", "/fhir/Observation/_history", "Unrestricted", "Observation", "s")]
    [InlineData("GET", "/fhir/Observation/$lastn", "Unrestricted", "Observation", "rs")]
    [InlineData("POST", "/fhir/Observation/1/$validate", "Unrestricted", "Observation", "cruds")]
    [InlineData("POST", "/fhir", "Unrestricted", "*", "cruds")]
    [InlineData("GET", "/fhir?_type=Patient", "Unrestricted", "*", "s")]
    [InlineData("GET", "/fhir/_history", "Unrestricted", "*", "s")]
    [InlineData("POST", "/fhir/$reindex", "Unrestricted", "*", "cruds")]
    public void Each_interaction_needs_the_permissions_SMART_v2_names_for_it(string method, string url, string kind, string type, string letters)
    {
        var interaction = FhirInteraction.Of(Request(method, url))!;

        Assert.Equal((kind, type), (interaction.Kind.ToString(), interaction.Type));
        Assert.Equal("system/x." + letters, SmartScope.Describe(ScopeLevel.System, "x", interaction.Needed));
    }

    [Theory]
    [InlineData("/fhir/$export")]
    [InlineData("/fhir/Patient/$export")]
    [InlineData("/fhir/Group/g1/$export")]
    [InlineData("/fhir/$import")]
    [InlineData("/fhir/_async/abc")]
    public void The_facades_own_endpoints_are_left_to_their_handlers(string url)
    {
        Assert.Null(FhirInteraction.Of(Request("GET", url)));
    }

    [Fact]
    public void Narrowing_adds_each_parameter_once_and_keeps_the_clients()
    {
        var parameters = new KeyValuePair<string, string>[] { new("patient", "Patient/p1"), new("category", "laboratory") };

        var once = NarrowedRequest.AddParameters("?code=x&patient=Patient/p2", parameters);

        Assert.Equal("?code=x&patient=Patient/p2&patient=Patient%2Fp1&category=laboratory", once);
        Assert.Equal(once, NarrowedRequest.AddParameters(once, parameters));
    }

    [Fact]
    public void Strict_handling_replaces_the_clients_handling_and_keeps_its_other_preferences()
    {
        var request = Request("GET", "/fhir/Observation");
        request.Headers["Prefer"] = "respond-async, handling=lenient; x=\"a,b\", return=minimal";

        NarrowedRequest.PreferStrictHandling(request);

        Assert.Equal("handling=strict, respond-async, return=minimal", request.Headers["Prefer"].ToString());
    }

    private static HttpRequest Request(string method, string url)
    {
        var uri = new Uri("http://facade.test" + url);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        return context.Request;
    }
}
