using System.Buffers;

namespace AsyncFacade.Server.Import;

/// <summary>One NDJSON line and its 1-based number in the file.</summary>
internal readonly record struct NdjsonLine(ReadOnlySequence<byte> Bytes, long Number, bool TooLong)
{
    public static NdjsonLine Skipped(long number) => new(ReadOnlySequence<byte>.Empty, number, TooLong: true);

    public bool IsBlank
    {
        get
        {
            foreach (var segment in Bytes)
            {
                if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
