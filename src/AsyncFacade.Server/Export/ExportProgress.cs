using System.Diagnostics;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Counters shared by the parallel type exports, rendered as X-Progress. A time estimate is given only once every
/// type has started and each reported `Bundle.total` on its first page: many upstreams omit it, and then no guess
/// is better than a wrong one.
/// </summary>
internal sealed class ExportProgress(int types, long resumedResources)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long resources = resumedResources;
    private long exportedThisRun;
    private long expected;
    private int typesDone;
    private int typesWithTotal;
    private int typesWithoutTotal;

    public long Resources => Interlocked.Read(ref resources);

    public void Add(int count)
    {
        Interlocked.Add(ref resources, count);
        Interlocked.Add(ref exportedThisRun, count);
    }

    /// <summary>A type's first page: its `Bundle.total`, if the upstream gave one.</summary>
    public void Started(int? total)
    {
        if (total is { } known)
        {
            Interlocked.Add(ref expected, known);
            Interlocked.Increment(ref typesWithTotal);
        }
        else
        {
            Interlocked.Increment(ref typesWithoutTotal);
        }
    }

    public void TypeDone() => Interlocked.Increment(ref typesDone);

    public string Describe()
    {
        var text = $"exporting: {Volatile.Read(ref typesDone)} of {types} types done, {Resources:N0} resources";
        var rate = Interlocked.Read(ref exportedThisRun) / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var left = Interlocked.Read(ref expected) - Resources;
        if (Volatile.Read(ref typesWithoutTotal) == 0 && Volatile.Read(ref typesWithTotal) == types && rate > 0 && left > 0)
        {
            text += ", " + ProgressEstimate.Format(left / rate);
        }
        return text;
    }
}
