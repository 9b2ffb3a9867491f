using System.Buffers;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Writes each validated resource slice as one NDJSON line. The fast path copies the upstream's bytes unchanged; only a
/// resource that contains a line break (a pretty-printing upstream) goes through <see cref="JsonWhitespaceStripper"/>.
/// </summary>
internal static class NdjsonResourceWriter
{
    // Same size and reason as YARP's StreamCopier: large enough that a file or socket write per 64 KiB is cheap, small
    // enough to stay out of the large object heap per concurrent export.
    private const int BufferSize = 65536;

    public static async Task WriteAsync(ReadOnlySequence<byte> page, ResourceSliceList slices, Stream ndjson, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var filled = 0;
            for (var i = 0; i < slices.Count; i++)
            {
                var resource = page.Slice(slices[i].Start, slices[i].End);
                var compact = ContainsLineBreak(resource);
                var stripper = new JsonWhitespaceStripper();
                foreach (var segment in resource)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        if (filled == buffer.Length)
                        {
                            await ndjson.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                            filled = 0;
                        }
                        if (!compact && filled == 0 && remaining.Length >= buffer.Length)
                        {
                            // A large segment goes straight out instead of through the buffer.
                            await ndjson.WriteAsync(remaining, cancellationToken);
                            break;
                        }
                        int consumed;
                        int written;
                        if (compact)
                        {
                            consumed = stripper.Copy(remaining.Span, buffer.AsSpan(filled), out written);
                        }
                        else
                        {
                            written = consumed = Math.Min(remaining.Length, buffer.Length - filled);
                            remaining.Span[..consumed].CopyTo(buffer.AsSpan(filled));
                        }
                        filled += written;
                        remaining = remaining[consumed..];
                    }
                }
                if (filled == buffer.Length)
                {
                    await ndjson.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                    filled = 0;
                }
                buffer[filled++] = (byte)'\n';
            }
            if (filled > 0)
            {
                await ndjson.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Raw CR/LF can only be whitespace in JSON the reader accepted, so their absence means the slice is already one line.
    private static bool ContainsLineBreak(ReadOnlySequence<byte> resource)
    {
        foreach (var segment in resource)
        {
            if (segment.Span.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return true;
            }
        }
        return false;
    }
}
