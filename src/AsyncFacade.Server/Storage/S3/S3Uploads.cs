using Amazon.S3;
using Amazon.S3.Model;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>Clean-up of unfinished multipart uploads, which S3 keeps (and bills) until they are aborted.</summary>
internal static class S3Uploads
{
    /// <summary>
    /// Aborts an upload. NoSuchUpload means it is already gone. S3-compatible services that lack the call (s3rver
    /// answers MethodNotAllowed; others NotImplemented) are tolerated: their unfinished uploads stay until the
    /// service's own clean-up, which on AWS is the bucket's AbortIncompleteMultipartUpload lifecycle rule.
    /// </summary>
    public static async Task AbortAsync(IAmazonS3 client, string bucket, string key, string uploadId, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchUpload")
        {
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NotImplemented" or "MethodNotAllowed")
        {
            S3Log.AbortFailed(logger, uploadId, key, ex.ErrorCode);
        }
    }

    /// <summary>
    /// Best effort on services that list uploads (AWS does; s3rver answers NotImplemented): aborts the uploads under
    /// <paramref name="prefix"/> that no resume record names, e.g. one whose process died before its first flush.
    /// Correctness never depends on it: resume uses only the records.
    /// </summary>
    public static async Task AbortUnlistedAsync(IAmazonS3 client, string bucket, string prefix, ILogger logger, CancellationToken cancellationToken)
    {
        var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix };
        try
        {
            while (true)
            {
                var page = await client.ListMultipartUploadsAsync(request, cancellationToken);
                foreach (var upload in page.MultipartUploads ?? [])
                {
                    await AbortAsync(client, bucket, upload.Key, upload.UploadId, logger, cancellationToken);
                }
                if (page.IsTruncated != true)
                {
                    return;
                }
                request.KeyMarker = page.NextKeyMarker;
                request.UploadIdMarker = page.NextUploadIdMarker;
            }
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NotImplemented" or "MethodNotAllowed")
        {
        }
    }
}
