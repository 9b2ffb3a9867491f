using System.Text.Json;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The import's checkpoint: one <see cref="InputCheckpoint"/> per input, saved in the job record after every batch.
/// Inputs run in parallel, so saves are serialised; each writes the whole (small) list.
/// </summary>
internal sealed class ImportCheckpoints
{
    private readonly JobContext context;
    private readonly InputCheckpoint[] inputs;
    private readonly SemaphoreSlim gate = new(1, 1);

    public ImportCheckpoints(JobContext context, int count)
    {
        this.context = context;
        var saved = context.Checkpoint is { } json ? JsonSerializer.Deserialize<InputCheckpoint[]>(json) : null;
        // A checkpoint of another shape (an older version) is ignored: starting over is safe, writes are idempotent.
        inputs = saved?.Length == count ? saved : Enumerable.Repeat(InputCheckpoint.Start, count).ToArray();
    }

    public InputCheckpoint For(int index) => inputs[index];

    public IEnumerable<InputCheckpoint> All => inputs;

    /// <summary>Saves even when the job is being cancelled or shut down: the batch it counts was written.</summary>
    public async Task SaveAsync(int index, InputCheckpoint checkpoint)
    {
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            inputs[index] = checkpoint;
            await context.SaveCheckpointAsync(JsonSerializer.Serialize(inputs), CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
