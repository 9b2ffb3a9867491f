namespace AsyncFacade.Server.Storage.S3;

/// <summary>Event ids 10051-10099.</summary>
internal static partial class S3Log
{
    [LoggerMessage(10051, LogLevel.Debug, "Uploaded part {PartNumber} of {Key} ({Bytes} bytes)")]
    public static partial void PartUploaded(ILogger logger, int partNumber, string key, long bytes);

    [LoggerMessage(10052, LogLevel.Information, "Resumed {Key} at {Length} bytes from its resume record ({Parts} parts already uploaded)")]
    public static partial void ResumedFromRecord(ILogger logger, string key, long length, int parts);

    [LoggerMessage(10053, LogLevel.Information, "Resumed committed {Key} at {Length} bytes by copying that much of it into a new upload")]
    public static partial void ResumedFromCommitted(ILogger logger, string key, long length);

    [LoggerMessage(10054, LogLevel.Information, "Cannot resume {Key} at {Length} bytes: {Reason}; the caller starts it again")]
    public static partial void CannotResume(ILogger logger, string key, long length, string reason);

    [LoggerMessage(10055, LogLevel.Warning, "Could not abort multipart upload {UploadId} of {Key} ({ErrorCode}); the bucket's lifecycle rule for incomplete uploads must remove it")]
    public static partial void AbortFailed(ILogger logger, string uploadId, string key, string errorCode);

    [LoggerMessage(10056, LogLevel.Information, "Created bucket {Bucket}")]
    public static partial void BucketCreated(ILogger logger, string bucket);

    [LoggerMessage(10057, LogLevel.Debug, "Deleted {Count} objects under {Prefix}")]
    public static partial void PrefixDeleted(ILogger logger, int count, string prefix);
}
