using System.Buffers;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Copies already-validated JSON while dropping whitespace outside strings, so a pretty-printed resource becomes one NDJSON line.
/// Correct only for JSON the reader has accepted: then every raw space, tab, CR or LF outside a string is insignificant
/// (RFC 8259 §2) and none can occur inside one (§7 requires control characters to be escaped). String contents, including
/// their escapes, are copied byte for byte. A struct because its state (inside a string, after a backslash) must carry
/// across the pipe's segment boundaries.
/// </summary>
internal struct JsonWhitespaceStripper
{
    private static readonly SearchValues<byte> OutsideString = SearchValues.Create(" \t\r\n\""u8);
    private static readonly SearchValues<byte> InsideString = SearchValues.Create("\"\\"u8);

    private bool _inString;
    private bool _escaped;

    /// <summary>Copies from <paramref name="source"/> until it is used up or <paramref name="destination"/> is full; returns bytes consumed.</summary>
    public int Copy(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        var s = 0;
        var d = 0;
        while (s < source.Length && d < destination.Length)
        {
            if (_escaped)
            {
                destination[d++] = source[s++];
                _escaped = false;
                continue;
            }

            var rest = source[s..];
            var run = rest.IndexOfAny(_inString ? InsideString : OutsideString);
            if (run < 0)
            {
                run = rest.Length;
            }
            var take = Math.Min(run, destination.Length - d);
            rest[..take].CopyTo(destination[d..]);
            s += take;
            d += take;
            if (take < run || s == source.Length)
            {
                continue;
            }

            // source[s] is a quote, a backslash or whitespace.
            var b = source[s];
            if (!_inString && b != (byte)'"')
            {
                s++;
                continue;
            }
            if (d == destination.Length)
            {
                break;
            }
            destination[d++] = b;
            s++;
            if (b == (byte)'\\')
            {
                _escaped = true;
            }
            else
            {
                _inString = !_inString;
            }
        }
        written = d;
        return s;
    }
}
