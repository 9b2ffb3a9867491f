using System.Net;
using AsyncFacade.Client.Tests.Infrastructure;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Tests.Simulation;

/// <summary>The status answers real servers give, simulated by the facade, and what the client makes of them.</summary>
public sealed class SimulatedPollingTests(SimulationHost fixture) : IClassFixture<SimulationHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ClientHost host = fixture.Host;

    private async Task<(JobResult Result, IReadOnlyList<JobProgress> Polls)> WaitAsync(string behaviours, FhirAsyncClientOptions? options = null)
    {
        using var client = host.CreateClient(options);
        var job = await client.KickOffAsync(SimulationHost.Simulated("Patient/pat-1", behaviours), ct);
        var progress = new Recorder<JobProgress>();
        var result = await client.WaitForCompletionAsync(job, progress, ct);
        Assert.Equal("pat-1", Assert.Single(result.Bundle!.Entry).Resource!.Id);
        return (result, progress.Reports);
    }

    [Fact]
    public async Task Without_Retry_After_the_client_backs_off_exponentially_with_jitter()
    {
        var options = ClientHost.FastOptions();
        options.InitialPollDelay = TimeSpan.FromMilliseconds(250);
        options.MaxPollDelay = TimeSpan.FromSeconds(10);
        var (_, polls) = await WaitAsync("duration=4, no-retry-after", options);

        var waits = polls.Where(p => p.Status.State == JobState.InProgress).ToList();
        Assert.True(waits.Count >= 3, string.Join("; ", polls.Select(p => $"{p.Status.State} {(int?)p.Status.StatusCode} {p.Status.RetryAfter} {p.NextPollIn} {p.Status.Progress}")));
        Assert.All(waits, p => Assert.Null(p.Status.RetryAfter));
        Assert.All(waits, p => Assert.Equal(DelaySource.Backoff, p.DelaySource));
        // 0.25 s × 2ⁿ, ±20%.
        Assert.All(waits.Select((p, n) => (p.NextPollIn.TotalSeconds, Nominal: 0.25 * Math.Pow(2, n))),
            w => Assert.InRange(w.TotalSeconds, w.Nominal * 0.8, w.Nominal * 1.2));
        // X-Progress rises evenly over the simulated duration.
        var percents = waits.Select(p => int.Parse(p.Status.Progress!.Split(' ')[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(percents.Order(), percents);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_honoured()
    {
        var (_, polls) = await WaitAsync("duration=3, retry-after-date");

        var waits = polls.Where(p => p.Status.State == JobState.InProgress).ToList();
        Assert.NotEmpty(waits);
        Assert.All(waits, p =>
        {
            Assert.Equal(DelaySource.RetryAfter, p.DelaySource);
            Assert.InRange(p.NextPollIn, TimeSpan.Zero, TimeSpan.FromSeconds(2)); // "now + 1 s" as an HTTP-date (whole seconds)
        });
    }

    [Fact]
    public async Task Every_second_poll_answering_429_slows_the_client_but_does_not_fail_it()
    {
        var (_, polls) = await WaitAsync("duration=3, poll-429");

        var throttled = polls.Where(p => p.Status.State == JobState.Throttled).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, p =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, p.Status.StatusCode);
            Assert.Equal(OperationOutcome.IssueType.Throttled, p.Status.Outcome!.Issue[0].Code);
            Assert.Equal(p.Status.RetryAfter, p.NextPollIn);
        });
    }

    [Fact]
    public async Task A_200_whose_body_says_in_progress_is_not_taken_for_the_result()
    {
        var (result, polls) = await WaitAsync("duration=3, in-progress-200");

        var misleading = polls.Where(p => p.Status.State == JobState.InProgress && p.Status.StatusCode == HttpStatusCode.OK).ToList();
        Assert.NotEmpty(misleading);
        Assert.All(misleading, p => Assert.StartsWith("in-progress", p.Status.Outcome!.Issue[0].Diagnostics, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.NotNull(result.Bundle);
    }

    [Fact]
    public async Task Upstream_faults_the_facade_rides_out_do_not_reach_the_client()
    {
        using var client = host.CreateClient();
        var request = SimulationHost.Simulated("Patient/pat-2", "duration=1") with
        {
            Headers = new Dictionary<string, string> { ["X-Simulate-Upstream"] = "503;n=1;retry-after=1" },
        };

        var result = await client.WaitForCompletionAsync(await client.KickOffAsync(request, ct), null, ct);

        var entry = Assert.Single(result.Bundle!.Entry);
        Assert.StartsWith("200", entry.Response!.Status);
        Assert.Equal("pat-2", entry.Resource!.Id);
    }

    [Fact]
    public async Task The_sim_path_base_works_as_the_clients_FHIR_base()
    {
        using var client = new FhirAsyncClient(new Uri(host.App.ServerAddress, "sim/duration=2,retry-after-date/fhir"), ClientHost.FastOptions());
        var progress = new Recorder<JobProgress>();

        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-3"), ct);
        var result = await client.WaitForCompletionAsync(job, progress, ct);

        Assert.StartsWith(host.FhirBase + "/_async/", job.StatusUrl.ToString(), StringComparison.Ordinal);
        Assert.Contains(progress.Reports, p => p.Status.Progress?.StartsWith("simulated:", StringComparison.Ordinal) == true && p.DelaySource == DelaySource.RetryAfter);
        Assert.Equal("pat-3", Assert.Single(result.Bundle!.Entry).Resource!.Id);
    }
}
