namespace AsyncFacade.Server.Upstream;

/// <summary>
/// An upstream answer that did not arrive whole: the connection dropped or stalled mid-body, or the body is garbled.
/// Told apart from our own I/O failures (a full disk), which are not worth sending the request again for.
/// </summary>
internal sealed class UpstreamBodyException(string message, Exception? inner = null) : IOException(message, inner)
{
}

/// <summary>
/// Reads an upstream response body with a limit on each wait for data, so a body that stalls midway (the headers
/// came, the rest never does) fails as a cut-off read instead of hanging the job; a slow but steady body is fine.
/// Every read failure comes out as an <see cref="UpstreamBodyException"/>.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idle, TimeProvider time) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(idle, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamBodyException($"the upstream sent nothing for {idle.TotalSeconds:0} s", ex);
        }
        catch (IOException ex)
        {
            throw new UpstreamBodyException("the connection was lost", ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
