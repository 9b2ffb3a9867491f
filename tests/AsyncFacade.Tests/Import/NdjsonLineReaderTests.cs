using System.IO.Compression;
using System.Text;
using AsyncFacade.Server.Import;

namespace AsyncFacade.Tests.Import;

/// <summary>The line reader on its own: line breaks, BOM, gzip, long lines, lines cut across reads.</summary>
public sealed class NdjsonLineReaderTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lines_come_back_numbered_without_CR_LF_or_BOM_and_the_last_needs_no_line_break()
    {
        var lines = await ReadAllAsync("\uFEFF{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}"u8.ToArray(), 1024);

        Assert.Equal([(1L, "{\"a\":1}", false), (2, "", false), (3, "{\"b\":2}", false), (4, "{\"c\":3}", false)], lines);
    }

    [Fact]
    public async Task Gzip_is_recognised_by_its_magic_bytes()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync("{\"a\":1}\n{\"b\":2}\n"u8.ToArray(), ct);
        }

        var lines = await ReadAllAsync(compressed.ToArray(), 1024);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task A_line_over_the_limit_is_skipped_unbuffered_and_reading_goes_on()
    {
        var text = "{\"a\":1}\n" + new string('x', 300_000) + "\n{\"b\":2}\n" + new string('y', 300_000);

        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes(text), 100_000);

        Assert.Equal([(1L, "{\"a\":1}", false), (2, "", true), (3, "{\"b\":2}", false), (4, "", true)], lines);
    }

    [Fact]
    public async Task Lines_longer_than_the_read_buffer_are_joined_across_reads()
    {
        var long1 = "{\"v\":\"" + new string('a', 200_000) + "\"}";
        var text = long1 + "\n" + long1;

        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes(text), 1_000_000, readSize: 7);

        Assert.Equal([long1, long1], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task An_empty_source_has_no_lines()
    {
        Assert.Empty(await ReadAllAsync([], 1024));
    }

    private async Task<List<(long Number, string Text, bool TooLong)>> ReadAllAsync(byte[] bytes, int maxLineBytes, int? readSize = null)
    {
        await using var reader = await NdjsonLineReader.OpenAsync(readSize is { } size ? new TrickleStream(bytes, size) : new MemoryStream(bytes), maxLineBytes, ct);
        var lines = new List<(long, string, bool)>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lines.Add((line.Number, Encoding.UTF8.GetString(line.Bytes), line.TooLong));
        }
        return lines;
    }

    /// <summary>A stream that hands out a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] bytes, int size) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(size, buffer.Length)], cancellationToken);
    }
}
