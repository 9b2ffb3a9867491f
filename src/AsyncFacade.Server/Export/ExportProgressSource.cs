using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// An export's X-Progress, summed from its units' records at each status request (each unit checkpoints after every
/// page): `exporting: 3 of 7 types done, 123,456 resources, ~40 s left`. The estimate (<see cref="ExportEstimate"/>)
/// needs every unit's count from planning (an upstream that can count); many upstreams cannot, and then no guess is
/// better than a wrong one.
/// </summary>
internal sealed class ExportProgressSource(IJobStore store, TimeProvider time, IOptions<ExportOptions> options) : IJobProgressSource
{
    public async Task<string?> DescribeAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.Checkpoint is null)
        {
            return null; // still planning: the record says so
        }
        var state = JsonSerializer.Deserialize<ExportState>(job.Checkpoint)!;
        var units = (await store.ListChildrenAsync(job.Id, cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var progress = new List<UnitProgress>(state.Units.Count);
        long missing = 0;
        var incompleteTypes = new SortedSet<string>(StringComparer.Ordinal);
        var unfinishedTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in state.Units)
        {
            var record = units.GetValueOrDefault(ExportJobs.UnitId(job.Id, unit.Index));
            // A unit not created yet is as queued as one created.
            progress.Add(new UnitProgress(unit.Expected, record?.State ?? JobState.Queued, Resources(record), record?.StartedAt, record?.UpdatedAt ?? job.UpdatedAt));
            if (Missing(record) is > 0 and var shortfall)
            {
                missing += shortfall;
                incompleteTypes.Add(unit.Type);
            }
            if (record is null || !record.State.IsTerminal())
            {
                unfinishedTypes.Add(unit.Type);
            }
        }
        var types = state.Units.Select(u => u.Type).Distinct().Count();
        var text = $"exporting: {types - unfinishedTypes.Count} of {types} types done, {progress.Sum(u => u.Resources):N0} resources";

        if (missing > 0)
        {
            // Said while it runs, not only in the manifest's error file: a client watching progress sees the export is not whole.
            text += $", incomplete: {missing.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} resources the upstream counts could not be exported ({string.Join(", ", incompleteTypes)})";
        }

        if (ExportEstimate.SecondsLeft(progress, options.Value.MaxParallelism, options.Value.PageSize, time.GetUtcNow()) is { } secondsLeft)
        {
            text += ", " + ProgressEstimate.Format(secondsLeft);
        }
        return text;
    }

    private static long Missing(JobRecord? unit) => unit is { State: JobState.Completed, Result: { } result } ? JsonSerializer.Deserialize<TypeCheckpoint>(result)!.Missing : 0;

    /// <summary>Resources a unit wrote: its result once completed, else its last checkpoint (the console shows it too).</summary>
    internal static long Resources(JobRecord? unit) => unit switch
    {
        { State: JobState.Completed, Result: { } result } => JsonSerializer.Deserialize<TypeCheckpoint>(result)!.Resources,
        { Checkpoint: { } checkpoint } => JsonSerializer.Deserialize<ExportUnitCheckpoint>(checkpoint)!.Position.Resources,
        _ => 0,
    };
}
