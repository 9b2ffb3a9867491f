using AsyncFacade.Server.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Removes output-store prefixes that belong to no job: a kick-off that stored its request body and died before its
/// record was created, files left behind by a node that crashed mid-delete, abandoned uploads of a job long gone.
/// A kick-off stores its body before it creates the record, so a prefix without a record is normal for a moment: it is
/// removed only when two sweeps at least Jobs:OrphanGrace apart both found it orphaned. The first sightings are kept
/// in memory on each node (bounded by <see cref="MaxCandidates"/>); a restart only delays a removal, and two nodes
/// removing the same prefix is harmless (a missing prefix is not an error).
/// Called from <see cref="JobMaintenance"/>'s loop only, so it needs no locking.
/// </summary>
internal sealed class OrphanSweep(IJobStore store, IOutputStore output, TimeProvider time, IOptions<JobsOptions> options, ILogger<OrphanSweep> logger)
{
    /// <summary>About 1 MB of job ids. Orphans beyond it wait for a later sweep: a storm of them must not grow the heap.</summary>
    public const int MaxCandidates = 10_000;

    /// <summary>Prefixes checked against the job store per lookup: one round trip each, bounded memory however large the store.</summary>
    private const int Batch = 100;

    private readonly Dictionary<string, Candidate> candidates = new(StringComparer.Ordinal);
    private DateTimeOffset? lastSweep;
    private long sweep;

    /// <summary>
    /// Listing a whole bucket every maintenance tick would cost more than orphans do: a sweep runs every half grace (never
    /// more often than the maintenance interval), so an orphan goes between one and two graces after its record did.
    /// </summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(options.Value.MaintenanceIntervalSeconds).Ticks, options.Value.OrphanGrace.Ticks / 2));

    /// <summary>Sweeps when the last sweep is at least <see cref="Interval"/> ago.</summary>
    public async Task RunIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (lastSweep is { } last && now - last < Interval)
        {
            return;
        }
        // Set first: a store that fails is tried again at the next interval, not at every tick.
        lastSweep = now;
        await SweepAsync(cancellationToken);
    }

    /// <summary>One pass over the store's prefixes; returns how many prefixes were removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pass = new Pass(++sweep, now - options.Value.OrphanGrace);
        var batch = new List<string>(Batch);
        await foreach (var prefix in output.ListPrefixesAsync(cancellationToken))
        {
            pass.Listed++;
            if (!Guid.TryParseExact(prefix, "N", out _))
            {
                // Not a job id (JobQueue.NewJob: 32 hex digits), so not the facade's: a container or directory shared with
                // something else keeps its other folders.
                OrphanSweepLog.Skipped(logger, prefix);
                continue;
            }
            batch.Add(prefix);
            if (batch.Count == Batch)
            {
                await CheckAsync(batch, pass, now, cancellationToken);
                batch.Clear();
            }
        }
        await CheckAsync(batch, pass, now, cancellationToken);

        // A candidate not listed as orphaned this time got its record, or its files went: start afresh if it comes back.
        foreach (var (prefix, candidate) in candidates)
        {
            if (candidate.LastSweep != pass.Number)
            {
                candidates.Remove(prefix);
            }
        }
        if (pass.Untracked > 0)
        {
            OrphanSweepLog.CandidatesFull(logger, pass.Untracked, MaxCandidates);
        }
        OrphanSweepLog.Swept(logger, pass.Listed, candidates.Count, pass.Removed);
        return pass.Removed;
    }

    private async Task CheckAsync(List<string> batch, Pass pass, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var existing = await store.FindExistingAsync(batch, cancellationToken);
        foreach (var prefix in batch)
        {
            if (existing.Contains(prefix))
            {
                continue;
            }
            if (candidates.TryGetValue(prefix, out var candidate))
            {
                if (candidate.FirstSeen <= pass.OrphanedBefore)
                {
                    await output.DeletePrefixAsync(prefix, cancellationToken);
                    candidates.Remove(prefix);
                    pass.Removed++;
                    OrphanSweepLog.Removed(logger, prefix, candidate.FirstSeen);
                }
                else
                {
                    candidates[prefix] = candidate with { LastSweep = pass.Number };
                }
            }
            else if (candidates.Count < MaxCandidates)
            {
                candidates[prefix] = new Candidate(now, pass.Number);
            }
            else
            {
                pass.Untracked++;
            }
        }
    }

    /// <summary>When a prefix was first found orphaned, and the last sweep that found it so.</summary>
    private readonly record struct Candidate(DateTimeOffset FirstSeen, long LastSweep);

    /// <summary>What one sweep counts as it goes.</summary>
    private sealed class Pass(long number, DateTimeOffset orphanedBefore)
    {
        public long Number { get; } = number;

        public DateTimeOffset OrphanedBefore { get; } = orphanedBefore;

        public int Listed { get; set; }

        public int Removed { get; set; }

        public int Untracked { get; set; }
    }
}
