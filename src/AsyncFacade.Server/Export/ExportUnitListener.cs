using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Ties an export to its units: a unit that finishes wakes its export (which hands out the next units or writes the
/// manifest); a cancelled export cancels its units, on whichever node they run (they hear of it through the store).
/// </summary>
internal sealed class ExportUnitListener(IJobStore store, JobQueue queue, TimeProvider time, ILogger<ExportUnitListener> logger) : IJobFinishedListener
{
    public void OnFinished(JobRecord job)
    {
        if (job is { Kind: ExportJobs.UnitKind, ParentId: { } exportId })
        {
            _ = WakeAsync(exportId);
        }
        else if (job is { Kind: ExportJobs.Kind, State: JobState.Cancelled })
        {
            _ = CancelUnitsAsync(job.Id);
        }
    }

    /// <summary>Resubmits the export under its own label (read from its record, which the unit does not carry).</summary>
    private async Task WakeAsync(string exportId)
    {
        try
        {
            await queue.ResubmitAsync(exportId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The maintenance round wakes an export that waited too long (Jobs:OrphanAfterSeconds).
            ExportLog.ExportNotWoken(logger, exportId, ex);
        }
    }

    private async Task CancelUnitsAsync(string exportId)
    {
        try
        {
            foreach (var unit in await store.ListChildrenAsync(exportId, CancellationToken.None))
            {
                await store.TryTransitionAsync(unit.Id, JobStates.Active,
                    new JobChange(JobState.Cancelled) { Progress = "cancelled", CompletedAt = time.GetUtcNow() }, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // The units then run to their end; the cancelled export never collects them, and they expire with it.
            ExportLog.UnitsNotCancelled(logger, exportId, ex);
        }
    }
}
