using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// An export's time left, from the throughput of its own units, as the geometric mean of two bounds that are each exact
/// in one regime. Paced: each running unit goes on at its own rate, queued units start as Export:MaxParallelism slots
/// free up, at the rate per unit measured so far, and the export ends with its last unit — exact when every unit waits
/// on upstream latency, and too long when they share a bottleneck (CPU, the upstream's capacity), because then the last
/// units speed up as the others finish. Shared: the work left over the export's present total rate — exact when they
/// share the bottleneck, too short when one long unit waits on latency alone. The truth lies between them, so their
/// geometric mean is off by at most the square root of their ratio (bench `export`: the paced bound alone read 1.47×
/// the real time left, CPU-bound, and 1.20× latency-bound). Issue 16: resources over the time since the job began
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

        var paced = Paced(units, parallelism, pageSize, now, perUnit, leastRun);
        var shared = Shared(units, parallelism, pageSize, now, perUnit);
        return Math.Sqrt(paced * shared);
    }

    private static double Paced(IReadOnlyList<UnitProgress> units, int parallelism, int pageSize, DateTimeOffset now, double perUnit, double leastRun)
    {
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
    /// The work left over the rate the running units reach together now; with none running, the rate per unit on as many
    /// slots as there are units left.
    /// </summary>
    private static double Shared(IReadOnlyList<UnitProgress> units, int parallelism, int pageSize, DateTimeOffset now, double perUnit)
    {
        var running = units.Where(u => u.State == JobState.Running).ToList();
        var left = running.Sum(u => Math.Max(0, u.Expected!.Value - u.Resources)) + units.Where(u => u.State == JobState.Queued).Sum(u => u.Expected!.Value);
        var rate = running.Count > 0
            ? running.Sum(u => Rate(u, perUnit, pageSize, now))
            : perUnit * Math.Min(parallelism, units.Count(u => u.State == JobState.Queued));
        return rate > 0 ? left / rate : 0;
    }

    /// <summary>Its pace starts at the export's and becomes its own page by page (see <see cref="RunningLeft"/>).</summary>
    private static double Rate(UnitProgress unit, double perUnit, int pageSize, DateTimeOffset now) =>
        (unit.Resources + pageSize) / (unit.SecondsRun(now)!.Value + pageSize / perUnit);

    /// <summary>
    /// At its own pace since it started, the rest of its count after what it had written when last measured; behind that
    /// (a slow page), the rest from now, never "~0 s left" for work not done. Its pace starts at the export's and becomes
    /// its own page by page: one page, often slowed by the first request's set-up, would otherwise decide alone.
    /// </summary>
    private static double RunningLeft(UnitProgress unit, double perUnit, int pageSize, DateTimeOffset now)
    {
        var ran = unit.SecondsRun(now)!.Value;
        var rate = Rate(unit, perUnit, pageSize, now);
        var rest = (unit.Expected!.Value - unit.Resources) / rate;
        var measuredAgo = (now - unit.StartedAt!.Value).TotalSeconds - ran;
        return rest - measuredAgo is > 0 and var left ? left : rest;
    }
}
