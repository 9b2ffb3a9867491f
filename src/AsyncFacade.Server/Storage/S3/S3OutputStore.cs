using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>
/// Output in an S3 bucket (AWS or an S3-compatible service), keys "{Prefix}{jobId}/{file}". Uses only calls that
/// s3rver, the test server, implements for everything correctness rests on: no ListParts, no ListMultipartUploads, no
/// UploadPartCopy; AbortMultipartUpload is called where it saves storage and tolerated where it is missing.
/// </summary>
internal sealed class S3OutputStore(IAmazonS3 client, IOptions<StorageOptions> options, ILogger<S3OutputStore> logger) : IOutputStore
{
    // V4 presigned URLs cannot be valid for longer than 7 days (X-Amz-Expires ≤ 604800 s); a minute less, because the
    // SDK counts from its own later clock reading and rounds up, and a link past the cap is not signed with V4.
    private static readonly TimeSpan MaxLinkLifetime = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
    private readonly S3StorageOptions s3 = options.Value.S3;
    private readonly bool signedLinks = options.Value.SignedLinks;

    public string Provider => "s3";

    public Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IOutputWriter>(new S3OutputWriter(client, s3.Bucket, ObjectKey(key), logger));

    public async Task<IOutputWriter?> ResumeAsync(string key, long length, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var committed = await HeadAsync(objectKey, cancellationToken);
        var committedWriter = committed?.Metadata[S3OutputWriter.WriterMetadata];
        var buffer = ArrayPool<byte>.Shared.Rent(S3OutputWriter.PartSize);
        try
        {
            if (await ReadRecordAsync(objectKey, buffer, cancellationToken) is { } record && record.Writer != committedWriter)
            {
                // The upload the record describes was never committed: continue it if the cut falls in the tail.
                var tail = length - record.PartsLength;
                if (tail < 0 || tail > record.TailLength)
                {
                    S3Log.CannotResume(logger, objectKey, length, tail < 0 ? "the cut falls inside an uploaded part" : "the record ends before the cut");
                    await DiscardAsync(objectKey, record, cancellationToken);
                    return null;
                }
                S3Log.ResumedFromRecord(logger, objectKey, length, record.Parts.Count);
                var writer = new S3OutputWriter(client, s3.Bucket, objectKey, logger, buffer, record, (int)tail);
                buffer = null;
                return writer;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (committed is null || committed.ContentLength < length)
        {
            S3Log.CannotResume(logger, objectKey, length, committed is null ? "there is no record and no object" : "the object is shorter");
            return null;
        }
        return await TakeBackAsync(objectKey, committed.ETag, length, cancellationToken);
    }

    /// <summary>
    /// Committed after its checkpoint: a new upload gets the object's first <paramref name="length"/> bytes, read
    /// back through the writer (bounded memory; s3rver lacks UploadPartCopy, which on AWS would save the transfer).
    /// Rare — a process died between commit and checkpoint — so the extra copy costs little. The committed object
    /// is then deleted, as the local disk takes the file back: until the new commit, the key shows nothing.
    /// </summary>
    private async Task<IOutputWriter> TakeBackAsync(string objectKey, string etag, long length, CancellationToken cancellationToken)
    {
        // A record left by the committed writer (crash before its delete) must not outlive the object.
        await client.DeleteObjectAsync(s3.Bucket, objectKey + S3ResumeRecord.KeySuffix, cancellationToken);
        var writer = new S3OutputWriter(client, s3.Bucket, objectKey, logger);
        try
        {
            if (length > 0)
            {
                using var response = await client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = s3.Bucket,
                    Key = objectKey,
                    ByteRange = new ByteRange(0, length - 1),
                    EtagToMatch = etag,
                }, cancellationToken);
                await response.ResponseStream.CopyToAsync(writer.Content, cancellationToken);
                if (writer.Length != length)
                {
                    throw new IOException($"s3 object '{objectKey}' gave {writer.Length} of the {length} bytes asked for.");
                }
                await writer.Content.FlushAsync(cancellationToken);
            }
            await client.DeleteObjectAsync(s3.Bucket, objectKey, cancellationToken);
            S3Log.ResumedFromCommitted(logger, objectKey, length);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        await OpenAsync(s3.Bucket, ObjectKey(key), cancellationToken);

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var listed = new ListObjectsV2Request { BucketName = s3.Bucket, Prefix = ObjectKey(prefix) + "/" };
        var deleted = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(S3OutputWriter.PartSize);
        try
        {
            do
            {
                // A page holds at most 1000 keys, DeleteObjects' limit.
                var page = await client.ListObjectsV2Async(listed, cancellationToken);
                var keys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
                foreach (var recordKey in keys.Where(k => k.EndsWith(S3ResumeRecord.KeySuffix, StringComparison.Ordinal)))
                {
                    var objectKey = recordKey[..^S3ResumeRecord.KeySuffix.Length];
                    if (await ReadRecordAsync(objectKey, buffer, cancellationToken) is { UploadId: { } uploadId })
                    {
                        await S3Uploads.AbortAsync(client, s3.Bucket, objectKey, uploadId, logger, cancellationToken);
                    }
                }
                if (keys.Count > 0)
                {
                    await client.DeleteObjectsAsync(new DeleteObjectsRequest
                    {
                        BucketName = s3.Bucket,
                        Objects = [.. keys.Select(k => new KeyVersion { Key = k })],
                        Quiet = true,
                    }, cancellationToken);
                    deleted += keys.Count;
                }
                listed.ContinuationToken = page.NextContinuationToken;
            }
            while (listed.ContinuationToken is not null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await S3Uploads.AbortUnlistedAsync(client, s3.Bucket, listed.Prefix, logger, cancellationToken);
        S3Log.PrefixDeleted(logger, deleted, listed.Prefix);
    }

    public async Task<Uri?> GetReadLinkAsync(string key, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var now = DateTimeOffset.UtcNow;
        if (!signedLinks || expires <= now)
        {
            return null;
        }
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = s3.Bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            // S3 caps V4 links at 7 days: a job kept longer gets a link that ends earlier than its Expires.
            Expires = (expires - now > MaxLinkLifetime ? now + MaxLinkLifetime : expires).UtcDateTime,
            // The SDK signs https unless told otherwise; an http endpoint (s3rver, a local MinIO) needs http links.
            Protocol = s3.ServiceUrl?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    public async IAsyncEnumerable<string> ListPrefixesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = s3.Bucket, Prefix = s3.Prefix, Delimiter = "/" };
        do
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                var name = common[s3.Prefix.Length..].TrimEnd('/');
                // Job ids are plain segments; anything else under the prefix is not ours to sweep.
                if (OutputKey.IsValid(name))
                {
                    yield return name;
                }
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    public async Task<StoredObject?> TryOpenSourceAsync(Uri url, CancellationToken cancellationToken)
    {
        if (S3SourceUrl.Parse(url, s3) is not { } source)
        {
            return null;
        }
        if (!s3.ImportBuckets.Contains(source.Bucket, StringComparer.Ordinal))
        {
            throw new StoreSourceException($"Bucket '{source.Bucket}' is not one $import may read: it is not listed in Storage:S3:ImportBuckets.");
        }
        if (source.Bucket == s3.Bucket && source.Key.StartsWith(s3.Prefix, StringComparison.Ordinal))
        {
            throw new StoreSourceException($"'{url}' is the facade's own output (bucket '{s3.Bucket}', prefix '{s3.Prefix}'), which $import never reads.");
        }
        return (source.Key.Length == 0 ? null : await OpenAsync(source.Bucket, source.Key, cancellationToken))
            ?? throw new StoreSourceException($"There is no object '{source.Key}' in bucket '{source.Bucket}'.", missing: true);
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        // '~' cannot occur in an output key, so the probe never collides with output or shows up as a job prefix.
        var probe = $"{s3.Prefix}~ready-{Guid.NewGuid():N}";
        await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = probe, ContentBody = "", UseChunkEncoding = false }, cancellationToken);
        await client.DeleteObjectAsync(s3.Bucket, probe, cancellationToken);
    }

    /// <summary>Creates the bucket when Storage:S3:CreateBucket allows and it is missing (at start).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (!s3.CreateBucket)
        {
            return;
        }
        try
        {
            // A listing, not DoesS3BucketExistV2 (GetBucketAcl, which S3-compatible services often lack).
            await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = s3.Bucket, MaxKeys = 1 }, cancellationToken);
            return;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchBucket")
        {
        }
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = s3.Bucket }, cancellationToken);
            S3Log.BucketCreated(logger, s3.Bucket);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Another node created it first.
        }
    }

    private string ObjectKey(string key) => s3.Prefix + OutputKey.Validate(key);

    private async Task<StoredObject?> OpenAsync(string bucket, string objectKey, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = objectKey }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var lastModified = response.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UtcNow;
        return new StoredObject(new S3ReadStream(client, bucket, objectKey, response), response.ContentLength, lastModified);
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = s3.Bucket, Key = objectKey }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Reads "{objectKey}~resume" into <paramref name="buffer"/>: its tail is left at the start.</summary>
    private async Task<S3ResumeRecord?> ReadRecordAsync(string objectKey, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(s3.Bucket, objectKey + S3ResumeRecord.KeySuffix, cancellationToken);
            if (response.ContentLength > buffer.Length)
            {
                return null;
            }
            var length = (int)response.ContentLength;
            await response.ResponseStream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            return S3ResumeRecord.Decode(buffer.AsSpan(0, length));
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A record that cannot be resumed: the caller starts the object again, so its upload is dead weight.</summary>
    private async Task DiscardAsync(string objectKey, S3ResumeRecord record, CancellationToken cancellationToken)
    {
        if (record.UploadId is { } uploadId)
        {
            await S3Uploads.AbortAsync(client, s3.Bucket, objectKey, uploadId, logger, cancellationToken);
        }
        await client.DeleteObjectAsync(s3.Bucket, objectKey + S3ResumeRecord.KeySuffix, cancellationToken);
    }
}
