using System.Collections.Concurrent;
using System.Text.Json;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The checkpoint of a whole export (one <see cref="TypeCheckpoint"/> per type), saved with the job record after
/// every page. Types run in parallel; saves are serialised so the record always holds one consistent snapshot.
/// </summary>
internal sealed class ExportCheckpoints(JobContext context)
{
    private readonly ConcurrentDictionary<string, TypeCheckpoint> types =
        context.Checkpoint is { } saved ? new(JsonSerializer.Deserialize<Dictionary<string, TypeCheckpoint>>(saved)!) : new();

    private readonly SemaphoreSlim saving = new(1, 1);

    public TypeCheckpoint For(string type) => types.GetValueOrDefault(type) ?? TypeCheckpoint.Start;

    public long ResourcesSoFar => types.Values.Sum(t => t.Files.Sum(f => f.Count) + (t.Open?.Count ?? 0));

    public async Task SaveAsync(string type, TypeCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        types[type] = checkpoint;
        await saving.WaitAsync(cancellationToken);
        try
        {
            if (!await context.SaveCheckpointAsync(JsonSerializer.Serialize(types), cancellationToken))
            {
                // Cancelled or taken over: stop writing; whoever holds the job now owns its files.
                throw new OperationCanceledException("This run no longer holds the export.");
            }
        }
        finally
        {
            saving.Release();
        }
    }
}
