using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// Turns a <see cref="PageCursor"/> into the opaque <c>_cursor</c> token of a next link and back. The token is
/// MAC'd with a key derived from the seed and bound to its context (type and operation), so an edited or
/// foreign token is rejected with 400 instead of paging from a random place; the key is deterministic so two
/// hosts with the same seed emit byte-identical links.
/// </summary>
internal sealed class CursorCodec(IOptions<SampleUpstreamOptions> options)
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 4 + 1 + 8;
    private const int MacLength = 8;

    private readonly byte[] key = SHA256.HashData(Encoding.UTF8.GetBytes($"AsyncFacade.SampleUpstream/cursor/{options.Value.Seed}"));

    public string Encode(PageCursor cursor, string context)
    {
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(token[1..], cursor.Part);
        token[5] = (byte)cursor.Segment;
        BinaryPrimitives.WriteInt64LittleEndian(token[6..], cursor.Position);
        Mac(token[..PayloadLength], context, token[PayloadLength..]);
        return Base64Url.EncodeToString(token);
    }

    public bool TryDecode(string text, string context, out PageCursor cursor)
    {
        cursor = default;
        Span<byte> token = stackalloc byte[PayloadLength + MacLength];
        if (text.Length > 64 || !Base64Url.TryDecodeFromChars(text, token, out var written) || written != token.Length || token[0] != Version)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[MacLength];
        Mac(token[..PayloadLength], context, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, token[PayloadLength..]))
        {
            return false;
        }
        var part = BinaryPrimitives.ReadInt32LittleEndian(token[1..]);
        var segment = token[5];
        var position = BinaryPrimitives.ReadInt64LittleEndian(token[6..]);
        if (part < 0 || segment > PageCursor.StoredSegment || position < 0)
        {
            return false;
        }
        cursor = new PageCursor(part, segment, position);
        return true;
    }

    private void Mac(ReadOnlySpan<byte> payload, string context, Span<byte> destination)
    {
        var message = new byte[payload.Length + Encoding.UTF8.GetByteCount(context)];
        payload.CopyTo(message);
        Encoding.UTF8.GetBytes(context, message.AsSpan(payload.Length));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, hash);
        hash[..MacLength].CopyTo(destination);
    }
}
