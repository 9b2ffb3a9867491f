using System.Buffers.Binary;
using System.Text.Json;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>
/// What an open writer's last flush left, stored as the object "{key}~resume" beside it ('~' is not allowed in an
/// <see cref="OutputKey"/>, so no output key can name or list it, yet it sits under the job's prefix and goes with it):
/// the multipart upload, the parts uploaded so far, and the tail not yet uploaded (S3 refuses non-final parts under
/// 5 MiB, so those bytes can only be made durable here). Layout: tail bytes, header JSON, header length (int32 LE),
/// "AFR1". The header goes after the tail so the record is encoded in place in the writer's part buffer, which
/// always has room: a flush uploads the tail as a part once it reaches 5 MiB, and the buffer holds 8 MiB.
/// </summary>
/// <param name="Writer">Also stored as the committed object's metadata: tells "this upload was committed" from an older object.</param>
internal sealed record S3ResumeRecord(string Writer, string? UploadId, List<S3UploadedPart> Parts, long TailLength)
{
    public const string KeySuffix = "~resume";
    private const int TrailerLength = 8;
    private static readonly byte[] Magic = "AFR1"u8.ToArray();

    public long PartsLength => Parts.Sum(p => p.Size);

    /// <summary>Writes the header after <paramref name="tailLength"/> tail bytes already in the buffer.</summary>
    /// <returns>The record's length.</returns>
    public int EncodeAfterTail(byte[] buffer, int tailLength)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(this);
        if (tailLength + header.Length + TrailerLength > buffer.Length)
        {
            throw new InvalidOperationException($"The resume record ({header.Length} bytes of header) does not fit the part buffer.");
        }
        header.CopyTo(buffer, tailLength);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(tailLength + header.Length), header.Length);
        Magic.CopyTo(buffer, tailLength + header.Length + 4);
        return tailLength + header.Length + TrailerLength;
    }

    /// <summary>Reads a record whose bytes fill <c>buffer[..length]</c>; its tail stays at the start of the buffer.</summary>
    /// <returns>Null when the bytes are not a record this version wrote.</returns>
    public static S3ResumeRecord? Decode(ReadOnlySpan<byte> record)
    {
        if (record.Length < TrailerLength || !record[^4..].SequenceEqual(Magic))
        {
            return null;
        }
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(record[^TrailerLength..]);
        var tailLength = record.Length - TrailerLength - headerLength;
        if (headerLength <= 0 || tailLength < 0)
        {
            return null;
        }
        try
        {
            var header = JsonSerializer.Deserialize<S3ResumeRecord>(record.Slice(tailLength, headerLength));
            return header is { Parts: not null } && header.TailLength == tailLength ? header : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
