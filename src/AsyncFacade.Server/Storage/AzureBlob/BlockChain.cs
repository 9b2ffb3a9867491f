using Azure.Storage.Blobs.Models;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// The blocks that make up the first <c>length</c> bytes of an object being resumed, found among its committed and
/// uncommitted blocks, plus the generation and sequence the resumed writer continues with.
/// </summary>
/// <remarks>
/// Why "the highest generation wins at each offset": a run of generation g starts at its resume point r (a checkpoint)
/// and stages blocks from r on; whatever an older run staged past r was written after that run's last checkpoint and
/// may hold other bytes (a page fetched again can differ), so g supersedes it. A checkpoint L is only recorded by the run
/// that staged the bytes up to L, and any later generation resumed at the latest checkpoint, so it staged nothing
/// below L. Walking from offset 0 and taking, at each offset, the block of the highest generation that starts there
/// therefore follows exactly the chain the checkpointing run committed to, down through the runs it resumed from.
/// If that walk does not land on L exactly, the blocks are not what the checkpoint describes (the blob was replaced or
/// cleaned up) and the caller starts the object again: slower, never wrong.
/// </remarks>
internal sealed record BlockChain(IReadOnlyList<string> Ids, uint Generation, int Sequence)
{
    /// <summary>A generation above every one already on the blob, for a writer that starts it again.</summary>
    public static uint NextGeneration(BlockList? blocks) =>
        Parse(blocks).Select(b => b.Id.Generation).DefaultIfEmpty(0u).Max() + 1;

    public static BlockChain? Find(BlockList blocks, long length)
    {
        var parsed = Parse(blocks).ToList();
        var byStart = new Dictionary<long, (string Name, BlockId Id)>();
        foreach (var block in parsed)
        {
            if (!byStart.TryGetValue(block.Start, out var best) || block.Id.Generation > best.Id.Generation)
            {
                byStart[block.Start] = (block.Name, block.Id);
            }
        }
        var chain = new List<string>();
        var position = 0L;
        while (position < length)
        {
            if (!byStart.TryGetValue(position, out var next) || next.Id.End > length)
            {
                return null;
            }
            chain.Add(next.Name);
            position = next.Id.End;
        }
        var generation = parsed.Select(b => b.Id.Generation).DefaultIfEmpty(0u).Max() + 1;
        return new BlockChain(chain, generation, chain.Count);
    }

    private static IEnumerable<(string Name, BlockId Id, long Start)> Parse(BlockList? blocks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in (blocks?.CommittedBlocks ?? []).Concat(blocks?.UncommittedBlocks ?? []))
        {
            // A block staged again under the same id (an SDK retry) is listed once per state it is in.
            if (seen.Add(block.Name) && BlockId.TryParse(block.Name, out var id) && block.SizeLong > 0 && id.End - block.SizeLong >= 0)
            {
                yield return (block.Name, id, id.End - block.SizeLong);
            }
        }
    }
}
