using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Hosting;

[Collection(InMemoryCollection.Name)]
public sealed class ErrorResponseTests(InMemoryFacade fixture)
{
    private readonly HttpClient client = fixture.CreateClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/nope")]
    [InlineData("/health/nope")]
    [InlineData("/upstreamx/fhir/Patient")]
    public async Task Unknown_route_answers_404_with_an_OperationOutcome(string path)
    {
        using var response = await client.GetAsync(path, ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("TRACE", "/fhir/Patient")]
    [InlineData("OPTIONS", "/fhir/Patient/1")]
    [InlineData("POST", "/health/live")]
    public async Task Unsupported_method_answers_405_with_an_OperationOutcome(string method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.MethodNotAllowed, "not-supported");
    }

    [Fact]
    public async Task Hangfire_dashboard_is_served_to_local_requests()
    {
        using var response = await client.GetAsync("/hangfire", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        using var response = await client.GetAsync("/swagger/index.html", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
