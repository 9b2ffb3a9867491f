using Amazon.S3;
using Amazon.S3.Model;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>
/// A committed object as a seekable read-only stream (Range downloads need Seek; GetObject's body cannot). Reads
/// continue the open response; a Seek only moves the position, and the next read opens a ranged GetObject there,
/// pinned to the first response's ETag so a replaced object fails the read instead of mixing two versions.
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly IAmazonS3 client;
    private readonly string bucket;
    private readonly string key;
    private readonly string etag;
    private readonly long length;
    private GetObjectResponse? response;
    private long responsePosition;
    private long position;

    /// <param name="first">The response that found the object, positioned at 0; this stream owns it.</param>
    public S3ReadStream(IAmazonS3 client, string bucket, string key, GetObjectResponse first)
    {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        etag = first.ETag;
        length = first.ContentLength;
        response = first;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= length || buffer.IsEmpty)
        {
            return 0;
        }
        if (response is null || responsePosition != position)
        {
            response?.Dispose();
            response = null;
            response = await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ByteRange = new ByteRange(position, length - 1),
                EtagToMatch = etag,
            }, cancellationToken);
            responsePosition = position;
        }
        var read = await response.ResponseStream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException($"s3 object '{key}' ended at {position} of {length} bytes.");
        }
        position += read;
        responsePosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The S3 read stream is asynchronous: use ReadAsync.");

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        position = target;
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            response?.Dispose();
            response = null;
        }
        base.Dispose(disposing);
    }
}
