using System.Diagnostics;
using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// `Prefer: wait=N` on both stores: a long poll is held until the job finishes, and then answered at once with its
/// result, or until the wait is over (202). What a job does meanwhile (starting, planning, parking between its export
/// units) is no answer: the client would only poll again at once.
/// </summary>
public abstract class LongPollContract(LongPollFacade fixture)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly AsyncClient client = new(fixture.CreateClient());

    private HttpClient Http => client.Http;

    [Fact]
    public async Task Long_polls_sent_right_after_kick_off_are_held_for_the_whole_wait_and_answer_202_even_under_load()
    {
        // Kick-offs and polls all at once, half of them exports (planning, then fanning out), half plain interactions.
        var started = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var status = await client.KickOffAsync(i % 2 == 0 ? LongPollFacade.Held : "/fhir/$export?_type=Observation");
            var (response, held) = await client.LongPollAsync(status, 2);
            return (status, response, held);
        }));

        try
        {
            Assert.All(started, poll =>
            {
                Assert.True(poll.response.StatusCode == HttpStatusCode.Accepted,
                    $"{poll.status} answered {(int)poll.response.StatusCode} after {poll.held.TotalSeconds:0.00} s");
                Assert.True(poll.held >= TimeSpan.FromSeconds(1.8),
                    $"{poll.status} was let go after {poll.held.TotalSeconds:0.00} s ({AsyncClient.Progress(poll.response)})");
                Assert.NotNull(poll.response.Headers.RetryAfter?.Delta);
                Assert.False(string.IsNullOrEmpty(AsyncClient.Progress(poll.response)));
            });
        }
        finally
        {
            await Task.WhenAll(started.Select(poll => Http.DeleteAsync(poll.status, ct)));
        }
    }

    [Fact]
    public async Task A_just_started_export_is_held_until_its_manifest_is_ready()
    {
        // Several types: the export parks and wakes as each unit finishes, and none of that ends the wait.
        var exports = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var status = await client.KickOffAsync("/fhir/$export?_type=Patient,Encounter,Condition");
            var (response, held) = await client.LongPollAsync(status, 10);
            return (status, response, held);
        }));

        foreach (var (status, response, held) in exports)
        {
            var manifest = await FhirAssert.JsonAsync(response);
            Assert.Equal(3, manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()).Distinct().Count());
            Assert.True(held < TimeSpan.FromSeconds(9), $"{status} answered only when the wait ran out");
            await Http.DeleteAsync(status, ct);
        }
    }

    [Fact]
    public async Task A_job_finishing_during_a_long_poll_is_answered_with_its_result_at_once()
    {
        // The upstream answers these a second after the job asks.
        var bundle = await client.KickOffAsync(LongPollFacade.OneSecond);
        var redirect = await client.KickOffAsync(LongPollFacade.OneSecond, "respond-async, async-mode=redirect");
        var polledAt = DateTimeOffset.UtcNow;

        var answers = await Task.WhenAll(client.LongPollAsync(bundle, 10), client.LongPollAsync(redirect, 10));
        var answeredAt = DateTimeOffset.UtcNow;

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(answers[0].Response));
        Assert.Equal("pat-7", entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, answers[1].Response.StatusCode);
        Assert.Equal(redirect + "/result", answers[1].Response.Headers.Location!.ToString());
        foreach (var status in new[] { bundle, redirect })
        {
            var job = await fixture.App.GetRequiredService<IJobStore>().GetAsync(JobId(status), ct);
            Assert.True(job!.CompletedAt > polledAt, "the job finished before it was long-polled: nothing was tested");
            Assert.True(answeredAt - job.CompletedAt < TimeSpan.FromSeconds(1.5),
                $"answered {(answeredAt - job.CompletedAt!.Value).TotalSeconds:0.00} s after the job finished");
            await Http.DeleteAsync(status, ct);
        }
    }

    [Fact]
    public async Task A_job_cancelled_during_a_long_poll_answers_404_at_once()
    {
        var status = await client.KickOffAsync(LongPollFacade.Held);
        var poll = client.LongPollAsync(status, 10);
        await Task.Delay(500, ct);
        Assert.False(poll.IsCompleted, "the long poll should hold while the job runs");

        var cancelledAt = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await Http.DeleteAsync(status, ct)).StatusCode);
        var (response, _) = await poll;

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.True(cancelledAt.Elapsed < TimeSpan.FromSeconds(1.5), $"answered {cancelledAt.Elapsed.TotalSeconds:0.00} s after the cancel");
    }

    [Fact]
    public async Task Many_waiters_on_one_job_that_time_out_or_go_away_end_quietly_and_leave_nothing_watching_it()
    {
        var status = await client.KickOffAsync(LongPollFacade.Held);
        var job = JobId(status);
        var signals = fixture.App.GetRequiredService<JobSignals>();
        var since = fixture.Logs.Entries.Count;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var leaving = Enumerable.Range(0, 5).Select(_ => LeaveAsync(status, gone.Token)).ToList();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.LongPollAsync(status, 1)));
        // The 20 that timed out stopped watching; the 5 still waiting and the run's own watch (for a cancel) remain.
        await Eventually.WaitForAsync(() => Task.FromResult(signals.Watchers(job)), n => n == 6, TimeSpan.FromSeconds(5), "the timed-out waiters to stop watching");
        await gone.CancelAsync();
        await Task.WhenAll(leaving);
        await Eventually.WaitForAsync(() => Task.FromResult(signals.Watchers(job)), n => n == 1, TimeSpan.FromSeconds(5), "the departed waiters to stop watching");
        Assert.Equal(HttpStatusCode.Accepted, (await Http.DeleteAsync(status, ct)).StatusCode);
        await Eventually.WaitForAsync(() => Task.FromResult(signals.Watchers(job)), n => n == 0, TimeSpan.FromSeconds(5), "the cancelled run to stop watching");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Response.StatusCode));
        Assert.All(answers, a => Assert.True(a.Held >= TimeSpan.FromSeconds(0.9), $"let go after {a.Held.TotalSeconds:0.00} s"));
        // A client going away is no failure of ours: nothing about it is logged at Warning or above.
        var noise = fixture.Logs.Entries.Skip(since)
            .Where(e => e.Level >= LogLevel.Warning && (e.Exception is OperationCanceledException || e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || e.Category.StartsWith("AsyncFacade.Server.Async", StringComparison.Ordinal)))
            .ToList();
        Assert.True(noise.Count == 0, string.Join('\n', noise));
    }

    /// <summary>A client that long-polls, then hangs up before the answer.</summary>
    private async Task LeaveAsync(string status, CancellationToken cancellationToken)
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.LongPollAsync(status, 10, cancellationToken));
    }

    private static string JobId(string status) => status[(status.LastIndexOf('/') + 1)..];
}

public sealed class InMemoryLongPollTests(InMemoryLongPollFacade fixture) : LongPollContract(fixture), IClassFixture<InMemoryLongPollFacade>;

public sealed class PostgresLongPollTests(PostgresLongPollFacade fixture) : LongPollContract(fixture), IClassFixture<PostgresLongPollFacade>;
