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
    public async Task Oversize_headers_answer_431_with_an_OperationOutcome()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/metadata");
        request.Headers.TryAddWithoutValidation("X-Big", new string('a', 40_000));

        await FhirAssert.OperationOutcomeAsync(await client.SendAsync(request, ct), HttpStatusCode.RequestHeaderFieldsTooLarge, "too-long");
    }

    [Fact]
    public async Task Over_long_url_answers_414_with_an_OperationOutcome()
    {
        using var response = await client.GetAsync("/fhir/Patient?name=" + new string('a', 10_000), ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.RequestUriTooLong, "too-long");
    }

    [Fact]
    public async Task Oversize_body_on_an_async_kick_off_answers_413_with_an_OperationOutcome()
    {
        // Raw socket: the server answers as soon as it sees the announced length, before any body is sent
        // (HttpClient would still be uploading and see only the closed connection).
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nPrefer: respond-async\r\nContent-Type: application/fhir+json\r\n" +
            "Content-Length: 31000000\r\nConnection: close\r\n\r\n"), ct);
        var answer = await new StreamReader(stream).ReadToEndAsync(ct);

        Assert.StartsWith("HTTP/1.1 413", answer);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", answer);
        Assert.Contains("\"too-long\"", answer);
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
