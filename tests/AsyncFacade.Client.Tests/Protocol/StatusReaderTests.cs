using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AsyncFacade.Client.Bulk;

namespace AsyncFacade.Client.Tests.Protocol;

/// <summary>How single status answers are read, including shapes this facade never sends but other servers do.</summary>
public sealed class StatusReaderTests
{
    private static readonly Uri StatusUrl = new("https://fhir.example.org/fhir/_async/1");

    private static async Task<JobStatus> ReadAsync(HttpStatusCode status, string? body, string contentType = "application/fhir+json", Action<HttpResponseMessage>? headers = null)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body ?? "", Encoding.UTF8, contentType) };
        headers?.Invoke(response);
        return await StatusReader.ReadAsync(StatusUrl, response, TimeProvider.System, TestContext.Current.CancellationToken);
    }

    private static string Outcome(string severity, string code, string diagnostics) =>
        $$"""{"resourceType":"OperationOutcome","issue":[{"severity":"{{severity}}","code":"{{code}}","diagnostics":"{{diagnostics}}"}]}""";

    [Fact]
    public async Task A_200_whose_OperationOutcome_says_in_progress_is_not_finished()
    {
        var status = await ReadAsync(HttpStatusCode.OK, Outcome("information", "informational", "in-progress: 40% done"),
            headers: r => r.Headers.TryAddWithoutValidation("X-Progress", "40%"));

        Assert.Equal(JobState.InProgress, status.State);
        Assert.Equal("40%", status.Progress);
    }

    [Fact]
    public async Task A_200_with_a_Task_in_progress_is_not_finished()
    {
        var status = await ReadAsync(HttpStatusCode.OK, """{"resourceType":"Task","status":"in-progress","intent":"order"}""");

        Assert.Equal(JobState.InProgress, status.State);
    }

    [Fact]
    public async Task A_200_manifest_is_completed_with_its_files()
    {
        var status = await ReadAsync(HttpStatusCode.OK,
            """{"transactionTime":"2024-01-01T00:00:00Z","request":"x","requiresAccessToken":true,"output":[{"type":"Patient","url":"https://f/1.ndjson","count":3}],"error":[]}""",
            "application/json", r => r.Content.Headers.Expires = DateTimeOffset.Parse("2030-01-01T00:00:00Z"));

        Assert.Equal(JobState.Completed, status.State);
        var file = Assert.Single(status.Result!.Manifest!.Output);
        Assert.Equal(new ManifestFile("Patient", "https://f/1.ndjson", 3), file);
        Assert.True(status.Result.Manifest.RequiresAccessToken);
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T00:00:00Z"), status.Result.Expires);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "transient", JobState.TransientError)]
    [InlineData(HttpStatusCode.InternalServerError, "throttled", JobState.TransientError)]
    [InlineData(HttpStatusCode.GatewayTimeout, "timeout", JobState.TransientError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "exception", JobState.TransientError)]
    [InlineData(HttpStatusCode.InternalServerError, "exception", JobState.Failed)]
    [InlineData(HttpStatusCode.BadRequest, "invalid", JobState.Failed)]
    [InlineData(HttpStatusCode.Forbidden, "forbidden", JobState.Failed)]
    public async Task Errors_are_transient_or_terminal_by_their_issue_code(HttpStatusCode code, string issue, JobState expected)
    {
        var status = await ReadAsync(code, Outcome("error", issue, "x"));

        Assert.Equal(expected, status.State);
        Assert.NotNull(status.Outcome);
    }

    [Fact]
    public async Task A_429_is_throttling_with_its_Retry_After()
    {
        var status = await ReadAsync(HttpStatusCode.TooManyRequests, Outcome("error", "throttled", "slow down"),
            headers: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        Assert.Equal(JobState.Throttled, status.State);
        Assert.Equal(TimeSpan.FromSeconds(7), status.RetryAfter);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_measured_against_the_responses_Date()
    {
        var sent = new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.Zero); // a server clock far from the client's
        var status = await ReadAsync(HttpStatusCode.Accepted, null, headers: r =>
        {
            r.Headers.Date = sent;
            r.Headers.RetryAfter = new RetryConditionHeaderValue(sent.AddSeconds(12));
        });

        Assert.Equal(JobState.InProgress, status.State);
        Assert.Equal(TimeSpan.FromSeconds(12), status.RetryAfter);
    }

    [Fact]
    public async Task A_303_is_completed_with_the_Location_resolved_against_the_status_URL()
    {
        var status = await ReadAsync(HttpStatusCode.SeeOther, null, headers: r => r.Headers.Location = new Uri("1/result", UriKind.Relative));

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(new Uri("https://fhir.example.org/fhir/_async/1/result"), status.Result!.Location);
    }

    [Fact]
    public void Back_off_grows_exponentially_within_its_jitter_and_stops_at_the_cap()
    {
        var backoff = new Backoff(new FhirAsyncClientOptions { InitialPollDelay = TimeSpan.FromSeconds(2), MaxPollDelay = TimeSpan.FromSeconds(60), Jitter = 0.2 });

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds).ToList();

        double[] nominal = [2, 4, 8, 16, 32, 60, 60, 60, 60, 60];
        Assert.All(delays.Zip(nominal), d => Assert.InRange(d.First, Math.Min(d.Second * 0.8, 60), Math.Min(d.Second * 1.2, 60)));
    }
}
