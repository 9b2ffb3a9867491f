using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace AsyncFacade.Server.Storage.S3;

internal static class S3ClientFactory
{
    // Signs requests to an S3-compatible endpoint when no region is configured (AWS's own default).
    private const string DefaultRegion = "us-east-1";

    public static AmazonS3Client Create(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // The SDK's default (WHEN_SUPPORTED) sends bodies as aws-chunked with trailing CRC checksums, which
            // S3-compatible services (s3rver among them) store verbatim or refuse. Bodies are SigV4-signed with their
            // SHA-256 instead (UseChunkEncoding=false on each upload), which protects them end to end as well.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.ToString();
            config.AuthenticationRegion = string.IsNullOrEmpty(options.Region) ? DefaultRegion : options.Region;
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        // No keys: the SDK's default chain (environment, profile, web identity, ECS/EC2 roles), resolved per request.
        return string.IsNullOrEmpty(options.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
    }
}
