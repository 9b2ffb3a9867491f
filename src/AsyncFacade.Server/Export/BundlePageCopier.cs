using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The export's hot path: one upstream searchset page in, one NDJSON line per match entry out, the resource bytes copied
/// as the upstream wrote them (never deserialized, never re-serialized).
/// </summary>
/// <remarks>
/// The page is buffered whole (bounded by maxPageBytes) and validated before anything is written, so a malformed,
/// truncated or wrong-typed page writes nothing. Bytes can still be partly written when the ndjson stream itself fails
/// or the token fires during the write phase; the export worker therefore appends pages to its output file and saves
/// its checkpoint (cursor, file, byte length and line count) only after this returns, and on resume truncates the file
/// back to the checkpoint's byte length before continuing. The checkpoint is the commit point, not the page.
/// </remarks>
public static class BundlePageCopier
{
    // Pipe segments of 64 KiB: a typical page (a few hundred KiB to a few MiB) spans a handful of segments, and a
    // resource that crosses a segment boundary only costs one extra span in the write loop.
    private const int ReadBufferSize = 65536;

    public static Task<BundlePageResult> CopyAsync(Stream page, Stream ndjson, string? expectedType, CancellationToken cancellationToken, long maxPageBytes = 64L << 20) =>
        CopyAsync(page, ndjson, expectedType, maxPageBytes, ReadBufferSize, cancellationToken);

    /// <summary>The pager's copy: <paramref name="trail"/> learns each entry's id and lastUpdated and may leave entries out.</summary>
    internal static Task<BundlePageResult> CopyAsync(Stream page, Stream ndjson, string? expectedType, Paging.PageTrail? trail, CancellationToken cancellationToken) =>
        CopyAsync(page, ndjson, expectedType, 64L << 20, ReadBufferSize, cancellationToken, trail);

    // readBufferSize is a parameter so tests can force resources, strings and escapes across segment boundaries.
    internal static async Task<BundlePageResult> CopyAsync(Stream page, Stream ndjson, string? expectedType, long maxPageBytes, int readBufferSize, CancellationToken cancellationToken,
        Paging.PageTrail? trail = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(ndjson);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPageBytes);

        var expected = expectedType is null ? null : Encoding.UTF8.GetBytes(expectedType);
        // leaveOpen: the caller owns the response body and disposes it with the HttpResponseMessage.
        var reader = PipeReader.Create(page, new StreamPipeReaderOptions(
            bufferSize: readBufferSize, minimumReadSize: Math.Max(1, readBufferSize / 4), leaveOpen: true));
        var slices = new ResourceSliceList();
        try
        {
            var body = await ReadWholePageAsync(reader, maxPageBytes, cancellationToken);
            var result = BundlePageParser.Parse(body, expected, slices, trail);
            await NdjsonResourceWriter.WriteAsync(body, slices, ndjson, cancellationToken);
            return result;
        }
        finally
        {
            slices.Dispose();
            // Returns the pipe's pooled segments.
            await reader.CompleteAsync();
        }
    }

    private static async Task<ReadOnlySequence<byte>> ReadWholePageAsync(PipeReader reader, long maxPageBytes, CancellationToken cancellationToken)
    {
        long received = 0;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                // HttpClient surfaces a connection dropped mid-body as HttpIOException, an IOException.
                var why = ex is Upstream.UpstreamBodyException ? ex.Message : "the connection was lost";
                throw new BundlePageException($"The upstream search page ended early, after {received} bytes; {why}.", ex) { Transient = true };
            }
            var buffer = read.Buffer;
            received = buffer.Length;
            if (received > maxPageBytes)
            {
                throw new BundlePageException($"The upstream search page is larger than the limit of {maxPageBytes} bytes.");
            }
            if (read.IsCompleted)
            {
                return buffer;
            }
            // Examined everything, consumed nothing: the next read appends, so the page accumulates in the pipe.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
