namespace AsyncFacade.Server.Storage.S3;

/// <summary>A part of a multipart upload as CompleteMultipartUpload needs it back (S3 cannot be asked: no ListParts).</summary>
internal sealed record S3UploadedPart(int Number, string ETag, long Size);
