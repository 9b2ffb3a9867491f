using System.Buffers;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// The write side of a block blob: bytes collect in one bounded buffer that is staged as an uncommitted block when it
/// is full and on every flush, so each checkpoint the export records (it flushes after each page, then saves the
/// length) falls on a block boundary that <see cref="BlockChain"/> can find again. Nothing is visible until
/// <see cref="CommitAsync"/> commits the chain; staged blocks that are never committed stay invisible and Azure
/// garbage-collects them (after a week), or the next commit of the blob discards them.
/// </summary>
internal sealed class BlockStagingStream : Stream
{
    /// <summary>
    /// The most one open file holds in memory. 4 MiB is the SDK's own default transfer size: big enough that a file
    /// written in large pages needs few requests, small enough that a node with dozens of open files stays far below
    /// the memory budget. Blocks are never bigger (a flush stages a smaller one), so 50,000 blocks, Azure's limit per
    /// blob, cover files far beyond what Export:MaxResourcesPerFile lets one file grow to.
    /// </summary>
    public const int BlockSize = 4 * 1024 * 1024;

    private readonly BlockBlobClient blob;
    private readonly List<string> blocks;
    private readonly uint generation;
    private int sequence;
    private long staged;
    private byte[]? buffer;
    private int buffered;
    private bool disposed;

    public BlockStagingStream(BlockBlobClient blob, BlockChain chain, long length)
    {
        this.blob = blob;
        blocks = [.. chain.Ids];
        generation = chain.Generation;
        sequence = chain.Sequence;
        staged = length;
    }

    /// <summary>Bytes in the object so far: the resumed chain, the staged blocks and the buffer.</summary>
    public long Written => staged + buffered;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            source = source[Fill(source)..];
            if (buffered == BlockSize)
            {
                Stage();
            }
        }
    }

    public override void Write(byte[] source, int offset, int count) => Write(source.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        while (!source.IsEmpty)
        {
            source = source[Fill(source.Span)..];
            if (buffered == BlockSize)
            {
                await StageAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] source, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(source.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (buffered > 0)
        {
            Stage();
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (buffered > 0)
        {
            await StageAsync(cancellationToken);
        }
    }

    /// <summary>Commits this run's chain: the resumed blocks (committed or not) and the ones staged since.</summary>
    public async Task CommitAsync(string contentType, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        disposed = true;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
        base.Dispose(disposing);
    }

    private int Fill(ReadOnlySpan<byte> source)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        buffer ??= ArrayPool<byte>.Shared.Rent(BlockSize);
        var count = Math.Min(source.Length, BlockSize - buffered);
        source[..count].CopyTo(buffer.AsSpan(buffered));
        buffered += count;
        return count;
    }

    // A failed stage leaves the buffer as it was: the next flush stages the same bytes again under the same id.
    private void Stage()
    {
        var id = NextId();
        using var content = new MemoryStream(buffer!, 0, buffered, writable: false);
        blob.StageBlock(id, content);
        Staged(id);
    }

    private async Task StageAsync(CancellationToken cancellationToken)
    {
        var id = NextId();
        using var content = new MemoryStream(buffer!, 0, buffered, writable: false);
        await blob.StageBlockAsync(id, content, options: null, cancellationToken);
        Staged(id);
    }

    private string NextId() => new BlockId(generation, sequence, staged + buffered).Encode();

    private void Staged(string id)
    {
        blocks.Add(id);
        sequence++;
        staged += buffered;
        buffered = 0;
    }
}
