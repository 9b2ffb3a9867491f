using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// An export's time left, from the throughput of its own units. Each running unit goes on at its own rate since it
/// started; queued units start as one of the Export:MaxParallelism slots frees up, in plan order, at the rate per unit
/// the export has measured; the export ends with its last unit. Issue 16: resources over the time since the job began
/// counted planning and ramp-up and ignored which units run in parallel, and a 3 s export said "~26 s left".
/// Null when it cannot know: a unit without a count (many upstreams cannot count), nothing measured yet, or a unit past
/// its count (the upstream's `total` was wrong, and so is every time derived from it).
/// </summary>
internal static class ExportEstimate
{
    /// <param name="pageSize">
    /// Export:PageSize. A unit that finished in less than a page measured one request's time, not a rate: from it comes
    /// the least time a queued unit takes, never the rate (a 10-resource type in 40 ms would make 100,000 take minutes).
    /// </param>
    public static double? SecondsLeft(IReadOnlyList<UnitProgress> units, int parallelism, int pageSize, DateTimeOffset now)
    {
        if (units.Count == 0 || units.Any(u => u.Expected is null || (u.State == JobState.Running && u.Resources > u.Expected)))
        {
            return null;
        }
        var measured = units.Where(u => u.Resources > 0 && (u.State == JobState.Running || u.Resources >= pageSize)).ToList();
        var seconds = measured.Sum(u => u.SecondsRun(now)!.Value);
        if (seconds <= 0)
        {
            return null;
        }
        var perUnit = measured.Sum(u => u.Resources) / seconds;
        var leastRun = units.Where(u => u.State == JobState.Completed && u.Resources < pageSize).Select(u => u.SecondsRun(now)!.Value).DefaultIfEmpty(0).Min();

        var slots = new PriorityQueue<double, double>();
        var end = 0.0;
        foreach (var unit in units.Where(u => u.State == JobState.Running))
        {
            var left = RunningLeft(unit, perUnit, pageSize, now);
            slots.Enqueue(left, left);
            end = Math.Max(end, left);
        }
        for (var free = parallelism - slots.Count; free > 0; free--)
        {
            slots.Enqueue(0, 0);
        }
        foreach (var unit in units.Where(u => u.State == JobState.Queued))
        {
            var finish = slots.Dequeue() + Math.Max(unit.Expected!.Value / perUnit, leastRun);
            slots.Enqueue(finish, finish);
            end = Math.Max(end, finish);
        }
        return end;
    }

    /// <summary>
    /// At its own pace since it started, the rest of its count after what it had written when last measured; behind that
    /// (a slow page), the rest from now, never "~0 s left" for work not done. Its pace starts at the export's and becomes
    /// its own page by page: one page, often slowed by the first request's set-up, would otherwise decide alone.
    /// </summary>
    private static double RunningLeft(UnitProgress unit, double perUnit, int pageSize, DateTimeOffset now)
    {
        var ran = unit.SecondsRun(now)!.Value;
        var rate = (unit.Resources + pageSize) / (ran + pageSize / perUnit);
        var rest = (unit.Expected!.Value - unit.Resources) / rate;
        var measuredAgo = (now - unit.StartedAt!.Value).TotalSeconds - ran;
        return rest - measuredAgo is > 0 and var left ? left : rest;
    }
}
