namespace AsyncFacade.Server.Storage;

/// <summary>Storage:S3 — used when Storage:Provider is s3.</summary>
public sealed class S3StorageOptions
{
    public string Bucket { get; set; } = "asyncfacade";

    /// <summary>Prepended to every key. Empty by default.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>AWS region, e.g. eu-west-1 (also signs requests to an S3-compatible endpoint).</summary>
    public string? Region { get; set; }

    /// <summary>Endpoint of an S3-compatible service (MinIO, Ceph, s3rver…); unset for AWS.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Path-style addressing (endpoint/bucket/key), which most S3-compatible services need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Access keys; both unset → the AWS SDK's default credential chain (environment, profile, IMDS…).</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>Create the bucket at start when it is missing.</summary>
    public bool CreateBucket { get; set; } = true;

    /// <summary>Buckets <c>$import</c> may read sources from (s3://{bucket}/…) with the facade's credentials.</summary>
    public List<string> ImportBuckets { get; set; } = [];
}
