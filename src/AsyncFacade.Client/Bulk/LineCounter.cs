using System.Buffers;

namespace AsyncFacade.Client.Bulk;

/// <summary>Counts NDJSON lines over bytes as they stream past; a last line without a newline still counts.</summary>
internal sealed class LineCounter
{
    private long newlines;
    private byte last = (byte)'\n';

    public long Bytes { get; private set; }

    public long Lines => Bytes > 0 && last != (byte)'\n' ? newlines + 1 : newlines;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        newlines += bytes.Count((byte)'\n');
        last = bytes[^1];
        Bytes += bytes.Length;
    }

    /// <summary>The lines of a partly downloaded file, read back in chunks (a resumed download continues counting from here).</summary>
    public static async Task<LineCounter> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        var counter = new LineCounter();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                counter.Add(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return counter;
    }
}
