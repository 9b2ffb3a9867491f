using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// When a unit saves its checkpoint (and so first makes its open file durable in the store): once
/// Export:CheckpointIntervalMilliseconds have passed since the last one, after a file was committed, and at every
/// search's end. Not after every page: with small upstream pages (HAPI's default is 20) a per-page flush is one store
/// request and one database write per page — on S3 it re-sends the not-yet-uploaded tail (up to 5 MiB) each time, on
/// Azure it stages a block per page (50,000 per blob at most). A crash costs at most one interval of pages, fetched again.
/// </summary>
internal sealed class CheckpointCadence(RollingNdjsonFile file, TimeSpan interval, TimeProvider time)
{
    private long last = time.GetTimestamp();
    private int committedFiles = file.Committed.Count;

    /// <summary>True when the pages since the last checkpoint should be made durable now.</summary>
    public bool Due => file.Committed.Count != committedFiles || time.GetElapsedTime(last) >= interval;

    /// <summary>Makes the open file durable, then saves the checkpoint built from the file as it now stands.</summary>
    public async Task SaveAsync(JobContext context, ExportUnit unit, Func<RollingNdjsonFile, TypeCheckpoint> checkpoint, CancellationToken cancellationToken)
    {
        await file.FlushAsync(cancellationToken);
        await UnitPages.SaveCheckpointAsync(context, unit, checkpoint(file), cancellationToken);
        last = time.GetTimestamp();
        committedFiles = file.Committed.Count;
    }
}
