using AsyncFacade.Server.Export;
using AsyncFacade.Server.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFacade.Tests.Export;

/// <summary>The time left of an export from its units' records: pure, on a fake clock.</summary>
public sealed class ExportEstimateTests
{
    private const int PageSize = 100;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Units_running_in_parallel_end_between_the_slowest_at_its_pace_and_the_work_at_their_total_rate()
    {
        // 1,000/s with 10,000 to go; 200/s with 8,000 to go: ~40 s if each keeps its pace (each waits on latency), ~15 s
        // if the slow one takes over the fast one's share when it ends (18,000 left at 1,200/s): their geometric mean,
        // ~24 s, is off by at most ×1.6 either way — and never the ~50 s of both one after the other.
        var units = new[] { Running(20_000, 10_000, ranSeconds: 10), Running(10_000, 2_000, ranSeconds: 10) };

        Assert.InRange(Left(units, parallelism: 4), 23.5, 25);
    }

    [Fact]
    public void Queued_units_wait_for_a_free_slot_and_run_at_the_rate_measured_per_unit()
    {
        // Two running at 1,000/s with 10 s to go; two queued of 10,000: on two slots they start when those end (20 s
        // either way). On four they start now: 10 s at their own pace, 20 s if the four share today's 2,000/s.
        UnitProgress[] units = [Running(20_000, 10_000, ranSeconds: 10), Running(20_000, 10_000, ranSeconds: 10), Queued(10_000), Queued(10_000)];

        Assert.InRange(Left(units, parallelism: 2), 19.5, 20.5);
        Assert.InRange(Left(units, parallelism: 4), 13.5, 14.8);
    }

    [Fact]
    public void A_finished_unit_lends_its_rate_and_has_no_time_left()
    {
        // 10,000 in 5 s: the queued unit of 20,000 takes ~10 s on the free slot, and the small one no more than its count says.
        UnitProgress[] units = [Completed(10_000, 10_000, ranSeconds: 5), Queued(20_000), Queued(200)];

        Assert.InRange(Left(units, parallelism: 1), 10, 10.2);
    }

    [Fact]
    public void A_unit_that_finished_within_one_page_measured_a_request_not_a_rate()
    {
        // 10 resources in 0.5 s is no rate for the 50,000 queued (that would say ~2,500 s): they go at the running unit's
        // 1,000/s, and take at least the half second that a unit has been seen to need: ~50 s paced, ~60 s shared.
        UnitProgress[] units = [Completed(10, 10, ranSeconds: 0.5), Running(20_000, 10_000, ranSeconds: 10), Queued(50_000), Queued(5)];

        Assert.InRange(Left(units, parallelism: 3), 53, 56);
        Assert.Null(ExportEstimate.SecondsLeft([Completed(10, 10, ranSeconds: 0.5), Queued(50_000)], 4, PageSize, time.GetUtcNow()));
    }

    [Fact]
    public void A_unit_behind_its_pace_is_never_said_to_be_done()
    {
        // 1,000/s, 1,000 to go, last measured 5 s ago: its page is late; what is left takes its pace from now, not 0 s.
        var late = Running(10_000, 9_000, ranSeconds: 9, measuredAgo: 5);

        Assert.InRange(Left([late], parallelism: 4), 0.9, 1.1);
    }

    [Fact]
    public void Without_a_count_or_before_the_first_page_there_is_no_estimate()
    {
        Assert.Null(ExportEstimate.SecondsLeft([Running(10_000, 5_000, ranSeconds: 5), Running(null, 5_000, ranSeconds: 5)], 4, PageSize, time.GetUtcNow()));
        Assert.Null(ExportEstimate.SecondsLeft([Running(10_000, 0, ranSeconds: 5), Queued(10_000)], 4, PageSize, time.GetUtcNow()));
        Assert.Null(ExportEstimate.SecondsLeft([Queued(10_000)], 4, PageSize, time.GetUtcNow()));
    }

    [Fact]
    public void A_unit_past_its_count_makes_the_counts_untrustworthy_instead_of_0_s_left()
    {
        // The upstream's total said 10,000; 12,000 came and more may: no time can be derived from that count.
        UnitProgress[] units = [Running(10_000, 12_000, ranSeconds: 12), Running(20_000, 10_000, ranSeconds: 10)];

        Assert.Null(ExportEstimate.SecondsLeft(units, 4, PageSize, time.GetUtcNow()));
        // A finished unit that wrote more than counted is done: it says nothing about the others.
        Assert.NotNull(ExportEstimate.SecondsLeft([Completed(10_000, 12_000, ranSeconds: 12), Running(20_000, 10_000, ranSeconds: 10)], 4, PageSize, time.GetUtcNow()));
    }

    private double Left(IReadOnlyList<UnitProgress> units, int parallelism) =>
        ExportEstimate.SecondsLeft(units, parallelism, PageSize, time.GetUtcNow()) ?? throw new Xunit.Sdk.XunitException("no estimate");

    private UnitProgress Running(long? expected, long resources, double ranSeconds, double measuredAgo = 0) =>
        new(expected, JobState.Running, resources, time.GetUtcNow().AddSeconds(-ranSeconds - measuredAgo), time.GetUtcNow().AddSeconds(-measuredAgo));

    private UnitProgress Completed(long expected, long resources, double ranSeconds) =>
        new(expected, JobState.Completed, resources, time.GetUtcNow().AddSeconds(-ranSeconds - 1), time.GetUtcNow().AddSeconds(-1));

    private UnitProgress Queued(long expected) => new(expected, JobState.Queued, 0, null, time.GetUtcNow());
}
