using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFacade.Tests.Async;

public sealed class RetryAfterPolicyTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RetryAfterPolicy policy;

    public RetryAfterPolicyTests() => policy = new RetryAfterPolicy(Options.Create(new AsyncOptions { RetryAfterSeconds = 1, MaxRetryAfterSeconds = 30 }), time);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 1)]
    [InlineData(60, 6)]
    [InlineData(3600, 30)]
    public void Without_an_estimate_the_interval_grows_with_the_jobs_age(int ageSeconds, int expected)
    {
        Assert.Equal(expected, policy.SecondsFor(Job(ageSeconds, "running")));
    }

    [Theory]
    [InlineData("exporting: 0 of 2 types done, 1,000 resources, ~7 s left", 3)]
    [InlineData("exporting: 0 of 2 types done, 1,000 resources, ~26 s left", 13)]
    [InlineData("exporting: 1 of 2 types done, 9 resources, ~1,200 s left", 30)]
    [InlineData("exporting: 1 of 2 types done, 9 resources, ~1 s left", 1)]
    [InlineData("exporting: 1 of 2 types done, 9 resources, ~0 s left", 1)]
    public void An_estimate_brings_the_client_back_after_half_of_it(string progress, int expected)
    {
        Assert.Equal(expected, policy.SecondsFor(Job(3600, progress)));
    }

    [Fact]
    public void Retry_after_never_exceeds_the_estimate_nor_holds_a_client_past_an_estimate_twice_too_long()
    {
        for (var left = 1; left <= 100; left++)
        {
            var seconds = policy.SecondsFor(Job(3600, "x, " + ProgressEstimate.Format(left)));
            // Even when the job really ends at half the estimate, the client is back by then (or at the 1 s floor).
            Assert.True(seconds >= 1 && seconds <= Math.Max(1, left / 2.0), $"~{left} s left gave Retry-After {seconds}");
        }
    }

    [Fact]
    public void The_estimate_format_round_trips()
    {
        Assert.True(ProgressEstimate.TryRead("x, " + ProgressEstimate.Format(1234.2), out var seconds));
        Assert.Equal(1235, seconds);
    }

    private JobRecord Job(int ageSeconds, string progress) => new()
    {
        Id = "j", Owner = "o", Kind = "k", Request = new JobRequest("GET", "x", JobRequest.NoHeaders), Progress = progress,
        CreatedAt = time.GetUtcNow().AddSeconds(-ageSeconds), UpdatedAt = time.GetUtcNow(),
    };
}
