using System.Net;
using AsyncFacade.Client.Tests.Infrastructure;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Tests.Polling;

/// <summary>Kick-off, polling, long polling, 429, redirect and cancel against the real facade (its upstream slowed down).</summary>
public sealed class PollingTests(SlowUpstreamHost fixture) : IClassFixture<SlowUpstreamHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ClientHost host = fixture.Host;

    [Fact]
    public async Task Waiting_honours_the_servers_Retry_After_seconds_and_reports_X_Progress()
    {
        using var client = host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct);
        var progress = new Recorder<JobProgress>();

        var result = await client.WaitForCompletionAsync(job, progress, ct);

        var running = progress.Reports.Where(p => p.Status.State == JobState.InProgress).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, p =>
        {
            Assert.Equal(HttpStatusCode.Accepted, p.Status.StatusCode);
            Assert.Equal(DelaySource.RetryAfter, p.DelaySource);
            Assert.Equal(p.Status.RetryAfter, p.NextPollIn);
            Assert.Equal(TimeSpan.FromSeconds(1), p.Status.RetryAfter); // the facade's Retry-After for a young job
            Assert.False(string.IsNullOrEmpty(p.Status.Progress));
        });
        var entry = Assert.Single(result.Bundle!.Entry);
        Assert.StartsWith("200", entry.Response!.Status);
        Assert.Equal("pat-1", entry.Resource!.Id);
        Assert.NotNull(result.Expires);
    }

    [Fact]
    public async Task A_429_on_a_status_poll_is_waited_out_not_a_failure()
    {
        using var client = host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-2"), ct);
        // Poll far faster than Retry-After, as a careless client would, until the facade throttles this job's poller.
        await AsyncFacade.Tests.Infrastructure.Eventually.WaitForAsync(() => client.PollAsync(job.StatusUrl, ct), s => s.State == JobState.Throttled,
            TimeSpan.FromSeconds(10), "a 429");
        var progress = new Recorder<JobProgress>();

        var result = await client.WaitForCompletionAsync(job, progress, ct);

        var throttled = progress.Reports.First();
        Assert.Equal(JobState.Throttled, throttled.Status.State);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Throttled, throttled.Status.Outcome?.Issue.Single().Code);
        Assert.Equal(DelaySource.RetryAfter, throttled.DelaySource);
        Assert.NotNull(throttled.Status.RetryAfter);
        Assert.Equal("pat-2", Assert.Single(result.Bundle!.Entry).Resource!.Id);
    }

    [Fact]
    public async Task Long_polling_is_used_when_the_CapabilityStatement_offers_it()
    {
        var options = ClientHost.FastOptions();
        options.LongPolling = FeatureUse.Auto;
        options.LongPollSeconds = 20;
        using var client = host.CreateClient(options);
        Assert.True((await client.GetServerFeaturesAsync(ct)).LongPolling);
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-3"), ct);
        // A long poll also returns when a queued job starts: wait for that first.
        await AsyncFacade.Tests.Infrastructure.Eventually.WaitForAsync(() => client.PollAsync(job.StatusUrl, ct),
            s => s.Progress?.StartsWith("waiting for the upstream", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(10), "the job to run");
        var progress = new Recorder<JobProgress>();

        var result = await client.WaitForCompletionAsync(job, progress, ct);

        // The server held the status request until the 2-second upstream call finished: one poll, no 202.
        var only = Assert.Single(progress.Reports);
        Assert.Equal(JobState.Completed, only.Status.State);
        Assert.Equal("pat-3", Assert.Single(result.Bundle!.Entry).Resource!.Id);
    }

    [Fact]
    public async Task Redirect_mode_follows_the_303_to_the_replayed_result()
    {
        using var client = host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-4") with { AsyncMode = "redirect" }, ct);

        var result = await client.WaitForCompletionAsync(job, null, ct);

        Assert.Equal(HttpStatusCode.SeeOther, result.StatusCode);
        Assert.Equal(job.StatusUrl + "/result", result.Location!.ToString());
        using var replayed = await client.OpenResultAsync(result, ct);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("\"pat-4\"", await replayed.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Cancel_sends_DELETE_and_the_job_is_gone()
    {
        using var client = host.CreateClient();
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-5"), ct);

        Assert.True(await client.CancelAsync(job.StatusUrl, ct));

        var gone = await client.PollAsync(job.StatusUrl, ct);
        Assert.Equal(JobState.Failed, gone.State);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.WaitForCompletionAsync(job, null, ct));
        Assert.Equal(FailureKind.Expired, failure.Kind);
        Assert.False(await client.CancelAsync(job.StatusUrl, ct));
    }

    [Fact]
    public async Task A_refused_kick_off_is_terminal_and_carries_the_OperationOutcome()
    {
        using var client = host.CreateClient();

        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() =>
            client.ExportAsync(new AsyncFacade.Client.Bulk.ExportRequest { Types = ["NotAType"] }, ct));

        Assert.Equal(FailureKind.Terminal, failure.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, failure.StatusCode);
        Assert.Contains(failure.Outcome!.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task A_patient_level_export_for_chosen_patients_goes_as_a_POSTed_Parameters()
    {
        using var client = host.CreateClient();
        var request = new AsyncFacade.Client.Bulk.ExportRequest(AsyncFacade.Client.Bulk.ExportLevel.Patient)
        {
            Types = ["Patient", "Encounter"], Patients = ["Patient/pat-1", "Patient/pat-2"], AllowPartialManifests = true,
            Since = DateTimeOffset.Parse("2000-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Equal(HttpMethod.Post, request.ToAsyncRequest().Method);

        var result = await client.WaitForCompletionAsync(await client.ExportAsync(request, ct), null, ct);

        var counts = result.Manifest!.Output.GroupBy(f => f.Type).ToDictionary(g => g.Key!, g => g.Sum(f => f.Count));
        Assert.Equal(2, counts["Patient"]);
        Assert.Equal(6, counts["Encounter"]); // three per patient
    }
}
