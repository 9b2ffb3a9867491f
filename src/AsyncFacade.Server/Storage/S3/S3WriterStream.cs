namespace AsyncFacade.Server.Storage.S3;

/// <summary>
/// <see cref="S3OutputWriter.Content"/>: append-only and asynchronous only — every producer in the facade writes
/// with WriteAsync/FlushAsync, and a synchronous write that fills a part would have to block on the upload.
/// </summary>
internal sealed class S3WriterStream(S3OutputWriter writer) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => writer.Length;

    public override long Position
    {
        get => writer.Length;
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(writer.WriteAsync(buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        writer.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public override void Flush() => throw new NotSupportedException("The S3 writer is asynchronous: use FlushAsync.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The S3 writer is asynchronous: use WriteAsync.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
