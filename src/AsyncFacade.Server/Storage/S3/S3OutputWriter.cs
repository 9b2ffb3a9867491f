using System.Buffers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>
/// Streams one object as a multipart upload, holding at most one part in memory. Nothing is visible before
/// <see cref="CommitAsync"/> (CompleteMultipartUpload; an object smaller than a part is one PutObject then).
/// Each flush leaves a <see cref="S3ResumeRecord"/> so a killed process can be resumed at exactly the flushed length.
/// </summary>
/// <remarks>
/// Write amplification: the record holds the not-yet-uploaded tail, which a flush keeps under 5 MiB by uploading
/// it as a part once it reaches that. An export flushes once per upstream page (typically 0.2-2 MB of NDJSON), so
/// a flush re-sends on average ~2.5 MiB: a few times the page in request bytes, one PUT per page. That is the price
/// of an exact resume point below S3's 5 MiB part minimum without ListParts; it is paid in bandwidth to the store,
/// not in memory, and a flush with nothing new since the last record writes nothing.
/// </remarks>
internal sealed class S3OutputWriter : IOutputWriter
{
    /// <summary>
    /// 8 MiB: S3 refuses non-final parts under 5 MiB, and 8 MiB is the AWS CLI's own chunk size — it keeps the
    /// memory per open file small while 10,000 parts still allow objects far beyond Export's file roll (≥ 48 GiB even
    /// if every part were cut at 5 MiB by a flush).
    /// </summary>
    public const int PartSize = 8 * 1024 * 1024;

    public const int MinPartSize = 5 * 1024 * 1024;

    public const string WriterMetadata = "asyncfacade-writer";

    private readonly IAmazonS3 client;
    private readonly string bucket;
    private readonly string objectKey;
    private readonly string recordKey;
    private readonly ILogger logger;
    private readonly string writerId;
    private readonly List<S3UploadedPart> parts;
    private byte[]? buffer;
    private int count;
    private string? uploadId;
    private long partsLength;
    private long recordedLength = -1;
    private bool recordExists;
    private bool closed;
    private long closedLength;

    public S3OutputWriter(IAmazonS3 client, string bucket, string objectKey, ILogger logger)
        : this(client, bucket, objectKey, logger, ArrayPool<byte>.Shared.Rent(PartSize), null, 0)
    {
    }

    /// <param name="resumed">The record to continue, its tail at the start of <paramref name="rented"/>, cut to <paramref name="tail"/> bytes.</param>
    public S3OutputWriter(IAmazonS3 client, string bucket, string objectKey, ILogger logger, byte[] rented, S3ResumeRecord? resumed, int tail)
    {
        this.client = client;
        this.bucket = bucket;
        this.objectKey = objectKey;
        this.logger = logger;
        recordKey = objectKey + S3ResumeRecord.KeySuffix;
        buffer = rented;
        count = tail;
        writerId = resumed?.Writer ?? Guid.NewGuid().ToString("N");
        uploadId = resumed?.UploadId;
        parts = resumed is null ? [] : [.. resumed.Parts];
        partsLength = resumed?.PartsLength ?? 0;
        recordExists = resumed is not null;
        Content = new S3WriterStream(this);
    }

    public Stream Content { get; }

    public long Length => closed ? closedLength : partsLength + count;

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var part = Open();
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, PartSize - count);
            data[..n].CopyTo(part.AsMemory(count));
            count += n;
            data = data[n..];
            if (count == PartSize)
            {
                await UploadPartAsync(cancellationToken);
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Open();
        if (count >= MinPartSize)
        {
            await UploadPartAsync(cancellationToken);
        }
        if (Length != recordedLength && (Length > 0 || recordExists))
        {
            var record = new S3ResumeRecord(writerId, uploadId, parts, count);
            var size = record.EncodeAfterTail(buffer!, count);
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = recordKey,
                InputStream = new MemoryStream(buffer!, 0, size, writable: false),
                UseChunkEncoding = false,
            }, cancellationToken);
            recordedLength = Length;
            recordExists = true;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var part = Open();
        if (uploadId is null)
        {
            var put = new PutObjectRequest
            {
                BucketName = bucket,
                Key = objectKey,
                InputStream = new MemoryStream(part, 0, count, writable: false),
                UseChunkEncoding = false,
                ContentType = "application/octet-stream",
            };
            put.Metadata.Add(WriterMetadata, writerId);
            await client.PutObjectAsync(put, cancellationToken);
        }
        else
        {
            if (count > 0)
            {
                await UploadPartAsync(cancellationToken);
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartETags = [.. parts.Select(p => new PartETag(p.Number, p.ETag))],
            }, cancellationToken);
        }
        closedLength = Length;
        closed = true;
        // A crash before this delete leaves a record whose writer id matches the committed object's metadata:
        // ResumeAsync reads that as "committed" and does not touch the completed upload.
        if (recordExists)
        {
            await client.DeleteObjectAsync(bucket, recordKey, cancellationToken);
        }
    }

    public async Task SuspendAsync(CancellationToken cancellationToken)
    {
        if (buffer is not null && !closed)
        {
            await FlushAsync(cancellationToken);
        }
        closedLength = Length;
        closed = true;
    }

    /// <summary>Without commit or suspend: discards the upload and the record (a killed process never gets here).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!closed)
        {
            closedLength = Length;
            closed = true;
            try
            {
                if (uploadId is not null)
                {
                    await S3Uploads.AbortAsync(client, bucket, objectKey, uploadId, logger, CancellationToken.None);
                }
                if (recordExists)
                {
                    await client.DeleteObjectAsync(bucket, recordKey, CancellationToken.None);
                }
            }
            catch (AmazonServiceException ex)
            {
                // Disposing after a failure must not hide it; the job's prefix delete removes what is left.
                S3Log.AbortFailed(logger, uploadId ?? "(none)", objectKey, ex.ErrorCode ?? ex.StatusCode.ToString());
            }
        }
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private byte[] Open() =>
        !closed && buffer is not null ? buffer : throw new InvalidOperationException($"The writer of '{objectKey}' is closed.");

    private async Task UploadPartAsync(CancellationToken cancellationToken)
    {
        if (uploadId is null)
        {
            var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey, ContentType = "application/octet-stream" };
            initiate.Metadata.Add(WriterMetadata, writerId);
            uploadId = (await client.InitiateMultipartUploadAsync(initiate, cancellationToken)).UploadId;
        }
        var number = parts.Count + 1;
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = objectKey,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(buffer!, 0, count, writable: false),
            UseChunkEncoding = false,
        }, cancellationToken);
        parts.Add(new S3UploadedPart(number, response.ETag, count));
        partsLength += count;
        S3Log.PartUploaded(logger, number, objectKey, count);
        count = 0;
    }
}
