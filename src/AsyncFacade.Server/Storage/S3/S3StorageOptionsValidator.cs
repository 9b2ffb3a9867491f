using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>Storage:S3 checked at start (Provider=s3 only), each failure naming its key.</summary>
internal sealed partial class S3StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Section = "Storage:S3";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider != StorageProvider.S3)
        {
            return ValidateOptionsResult.Skip;
        }
        var s3 = options.S3;
        var failures = new List<string>();
        if (!IsBucketName(s3.Bucket))
        {
            failures.Add($"{Section}:Bucket '{s3.Bucket}' is not a valid S3 bucket name: 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, not an IP address.");
        }
        foreach (var bucket in s3.ImportBuckets.Where(b => !IsBucketName(b)))
        {
            failures.Add($"{Section}:ImportBuckets lists '{bucket}', which is not a valid S3 bucket name.");
        }
        if (s3.Prefix.Length > 0 && (!s3.Prefix.EndsWith('/') || !OutputKey.IsValid(s3.Prefix.TrimEnd('/'))))
        {
            failures.Add($"{Section}:Prefix '{s3.Prefix}' must be empty or segments of letters, digits, '.', '_' and '-' ending in '/', e.g. 'exports/'.");
        }
        if (string.IsNullOrEmpty(s3.AccessKeyId) != string.IsNullOrEmpty(s3.SecretAccessKey))
        {
            failures.Add($"{Section}:AccessKeyId and {Section}:SecretAccessKey must be set together, or both left unset for the AWS SDK's default credential chain.");
        }
        if (s3.ServiceUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            failures.Add($"{Section}:ServiceUrl '{url}' must be an absolute http or https URL.");
        }
        if (s3.Region is { Length: > 0 } region && !RegionPattern().IsMatch(region))
        {
            failures.Add($"{Section}:Region '{region}' is not a region name such as eu-west-1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets).
    public static bool IsBucketName(string? bucket) =>
        bucket is { Length: >= 3 and <= 63 } && BucketPattern().IsMatch(bucket) && !bucket.Contains("..", StringComparison.Ordinal) &&
        !IpAddressPattern().IsMatch(bucket) && !bucket.StartsWith("xn--", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpAddressPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
