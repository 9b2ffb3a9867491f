using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Reads NDJSON one line at a time from a PipeReader over the source (pooled buffers; only the current line is held).
/// A line is valid until the next call. gzip is recognised by its magic bytes, so `.ndjson.gz` files work from any source.
/// A line longer than the limit is skipped without being buffered and reported as <see cref="NdjsonLine.TooLong"/>.
/// </summary>
internal sealed class NdjsonLineReader(PipeReader reader, int maxLineBytes) : IAsyncDisposable
{
    // YARP's StreamCopier size: a read per 64 KiB is cheap, and it stays out of the large object heap.
    private const int BufferSize = 65536;

    private static readonly StreamPipeReaderOptions Options = new(bufferSize: BufferSize, minimumReadSize: BufferSize / 4);

    private SequencePosition? consumed;
    private long number;

    /// <summary>Lines read so far, blank ones included: the number of the line last returned.</summary>
    public long LineNumber => number;

    public static async Task<NdjsonLineReader> OpenAsync(Stream source, int maxLineBytes, CancellationToken cancellationToken)
    {
        var raw = PipeReader.Create(source, Options);
        var start = await raw.ReadAtLeastAsync(2, cancellationToken);
        var gzip = start.Buffer.Length >= 2 && start.Buffer.FirstSpan.Length >= 2 && start.Buffer.FirstSpan[0] == 0x1f && start.Buffer.FirstSpan[1] == 0x8b;
        raw.AdvanceTo(start.Buffer.Start);
        return new NdjsonLineReader(gzip ? PipeReader.Create(new GZipStream(raw.AsStream(), CompressionMode.Decompress), Options) : raw, maxLineBytes);
    }

    /// <summary>The next line without its line break (and without a UTF-8 BOM on the first), or null at the end.</summary>
    public async ValueTask<NdjsonLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (consumed is { } previous)
        {
            reader.AdvanceTo(previous);
            consumed = null;
        }
        long scanned = 0;
        var skipping = false;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            // Only the bytes not searched yet: a long line arriving in many reads is scanned once, not once per read.
            var end = buffer.Slice(scanned).PositionOf((byte)'\n');
            if (end is { } newline)
            {
                number++;
                consumed = buffer.GetPosition(1, newline);
                return skipping ? NdjsonLine.Skipped(number) : Line(buffer.Slice(0, newline));
            }
            if (result.IsCompleted)
            {
                consumed = buffer.End;
                if (buffer.IsEmpty && !skipping)
                {
                    return null;
                }
                number++;
                return skipping ? NdjsonLine.Skipped(number) : Line(buffer);
            }
            if (buffer.Length > maxLineBytes)
            {
                // Too long to hold: drop what arrived and keep dropping up to the next line break.
                skipping = true;
                reader.AdvanceTo(buffer.End);
                scanned = 0;
                continue;
            }
            scanned = buffer.Length;
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private NdjsonLine Line(ReadOnlySequence<byte> line)
    {
        if (number == 1 && line.Length >= 3 && line.Slice(0, 3).ToArray() is [0xEF, 0xBB, 0xBF])
        {
            line = line.Slice(3); // a UTF-8 byte order mark, as some Windows tools write
        }
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }
        return new NdjsonLine(line, number, TooLong: false);
    }

    public async ValueTask DisposeAsync() => await reader.CompleteAsync();
}
