using System.Buffers;
using System.Text;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Streams a response body while replacing the upstream's base URL with the facade's, so `Bundle.link`,
/// `fullUrl` and absolute references lead back through the facade. Byte-level and bounded: it never
/// buffers more than one read (plus the few bytes a match could straddle), whatever the body size.
/// </summary>
internal sealed class BaseUrlRewriter(string from, string to)
{
    // Large enough that a 1,000-entry search page takes a few dozen reads; same size YARP's StreamCopier uses.
    private const int BufferSize = 65536;

    private readonly byte[] fromBytes = Encoding.UTF8.GetBytes(from);
    private readonly byte[] toBytes = Encoding.UTF8.GetBytes(to);

    public string Rewrite(string value) => value.Replace(from, to, StringComparison.Ordinal);

    public async Task CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var keep = fromBytes.Length - 1;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize + keep);
        try
        {
            var carried = 0;
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(carried, BufferSize), cancellationToken);
                var filled = carried + read;
                if (read == 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                    return;
                }

                var written = await WriteReplacingAsync(buffer, filled, destination, cancellationToken);
                // A match may start in the last `keep` bytes and end in the next read: hold them back.
                var tail = Math.Min(filled - written, keep);
                var flushTo = filled - tail;
                await destination.WriteAsync(buffer.AsMemory(written, flushTo - written), cancellationToken);
                Buffer.BlockCopy(buffer, flushTo, buffer, 0, tail);
                carried = tail;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes everything up to the end of the last complete match; returns how many input bytes that consumed.</summary>
    private async ValueTask<int> WriteReplacingAsync(byte[] buffer, int count, Stream destination, CancellationToken cancellationToken)
    {
        var position = 0;
        while (true)
        {
            var index = buffer.AsSpan(position, count - position).IndexOf(fromBytes);
            if (index < 0)
            {
                return position;
            }
            await destination.WriteAsync(buffer.AsMemory(position, index), cancellationToken);
            await destination.WriteAsync(toBytes, cancellationToken);
            position += index + fromBytes.Length;
        }
    }
}
