using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream;

/// <summary>The sample upstream misbehaves on request (`X-Upstream-Fault`), the way real servers and networks do.</summary>
public sealed class SampleUpstreamFaultTests : IAsyncLifetime
{
    private const string Search = "/upstream/fhir/Patient?_count=20";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication facade = null!;
    private HttpClient http = null!;

    public ValueTask InitializeAsync()
    {
        facade = new FacadeApplication(new Dictionary<string, string?> { ["SampleUpstream:Patients"] = "20" }).Start();
        http = facade.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await facade.DisposeAsync();

    [Theory]
    [InlineData("429", HttpStatusCode.TooManyRequests, "throttled", "1")]
    [InlineData("503;retry-after=7", HttpStatusCode.ServiceUnavailable, "transient", "7")]
    [InlineData("503;retry-after=none", HttpStatusCode.ServiceUnavailable, "transient", null)]
    [InlineData("500", HttpStatusCode.InternalServerError, "exception", null)]
    public async Task Status_faults_answer_an_OperationOutcome_and_Retry_After(string fault, HttpStatusCode status, string code, string? retryAfter)
    {
        using var response = await SendAsync(Search, fault);

        await FhirAssert.OperationOutcomeAsync(response, status, code);
        Assert.Equal(retryAfter, response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
    }

    [Theory]
    [InlineData("invalid-json")]
    [InlineData("truncate;bytes=100")]
    public async Task Body_faults_answer_200_with_a_body_that_is_not_JSON(string fault)
    {
        using var response = await SendAsync(Search, fault);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        if (fault.StartsWith("truncate", StringComparison.Ordinal))
        {
            Assert.Equal(100, body.Length);
        }
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_read_after_the_first_bytes()
    {
        using var response = await SendAsync(Search, "drop;bytes=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var received = 0;
            var buffer = new byte[4096];
            for (int read; (read = await body.ReadAsync(buffer, ct)) > 0;)
            {
                received += read;
            }
            Assert.Fail($"The body ended cleanly after {received} bytes.");
        });
    }

    [Fact]
    public async Task A_slow_answer_comes_late_but_whole()
    {
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync(Search, "slow;ms=400");

        var bundle = await FhirAssert.JsonAsync(response);
        Assert.True(clock.ElapsedMilliseconds >= 400, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(20, bundle.GetProperty("entry").GetArrayLength());
    }

    [Fact]
    public async Task With_n_only_the_first_attempts_at_each_URL_fail()
    {
        const string fault = "503;n=2";
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(Search, fault);
            answers.Add(response.StatusCode);
        }
        using var otherUrl = await SendAsync("/upstream/fhir/Patient?_count=21", fault);

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], answers);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, otherUrl.StatusCode);
    }

    [Fact]
    public async Task With_p_a_share_of_requests_fail()
    {
        var failed = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await SendAsync("/upstream/fhir/Patient/pat-1", "503;p=0.5");
            failed += response.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }
        Assert.InRange(failed, 50, 150); // binomial(200, 0.5): outside this range about once in 10^12 runs
    }

    [Theory]
    [InlineData("404")]
    [InlineData("503;p=2")]
    [InlineData("slow;ms=-1")]
    [InlineData("drop;colour=red")]
    public async Task A_bad_fault_header_is_refused_naming_the_header(string fault)
    {
        using var response = await SendAsync(Search, fault);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, "invalid");
        Assert.Contains("X-Upstream-Fault", outcome.ToString());
    }

    private async Task<HttpResponseMessage> SendAsync(string url, string fault)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("X-Upstream-Fault", fault);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }
}
