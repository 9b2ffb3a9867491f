using System.Collections.Concurrent;

namespace AsyncFacade.Server.Simulation;

/// <summary>Counts status polls of `poll-429` jobs on this node, so every second one can be refused.</summary>
internal sealed class SimulatedPolls
{
    private const int MaxTracked = 10_000;
    private readonly ConcurrentDictionary<string, int> polls = new(StringComparer.Ordinal);

    public bool IsThrottled(string jobId)
    {
        if (polls.Count > MaxTracked)
        {
            polls.Clear();
        }
        return polls.AddOrUpdate(jobId, 1, (_, n) => n + 1) % 2 == 0;
    }
}
