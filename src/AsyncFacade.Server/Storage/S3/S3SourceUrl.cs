using System.Text.RegularExpressions;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>An <c>$import</c> inputUrl that names an object on the configured S3 endpoint.</summary>
internal sealed partial record S3SourceUrl(string Bucket, string Key)
{
    /// <summary>
    /// s3://{bucket}/{key}; with a ServiceUrl, {ServiceUrl}/{bucket}/{key} and, unless path-style is forced,
    /// {scheme}://{bucket}.{host}/{key}; on AWS, https://{bucket}.s3[.{region}].amazonaws.com/{key} and the
    /// path-style https://s3[.{region}].amazonaws.com/{bucket}/{key}.
    /// </summary>
    /// <returns>Null when the URL is not on this endpoint.</returns>
    public static S3SourceUrl? Parse(Uri url, S3StorageOptions options)
    {
        if (!url.IsAbsoluteUri)
        {
            return null;
        }
        var path = Uri.UnescapeDataString(url.AbsolutePath);
        if (url.Scheme == "s3")
        {
            return From(url.Host, path.TrimStart('/'));
        }
        if (options.ServiceUrl is { } service)
        {
            if (!string.Equals(url.Scheme, service.Scheme, StringComparison.OrdinalIgnoreCase) || url.Port != service.Port)
            {
                return null;
            }
            var basePath = Uri.UnescapeDataString(service.AbsolutePath).TrimEnd('/') + "/";
            if (string.Equals(url.Host, service.Host, StringComparison.OrdinalIgnoreCase) && path.StartsWith(basePath, StringComparison.Ordinal))
            {
                return PathStyle(path[basePath.Length..]);
            }
            var suffix = "." + service.Host;
            return !options.ForcePathStyle && url.Host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                ? From(url.Host[..^suffix.Length], path.TrimStart('/'))
                : null;
        }
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }
        if (AwsPathStyleHost().IsMatch(url.Host))
        {
            return PathStyle(path.TrimStart('/'));
        }
        return AwsVirtualHost().Match(url.Host) is { Success: true } match ? From(match.Groups["bucket"].Value, path.TrimStart('/')) : null;
    }

    private static S3SourceUrl? PathStyle(string bucketAndKey)
    {
        var slash = bucketAndKey.IndexOf('/');
        return slash < 0 ? From(bucketAndKey, "") : From(bucketAndKey[..slash], bucketAndKey[(slash + 1)..]);
    }

    private static S3SourceUrl? From(string bucket, string key) => bucket.Length == 0 ? null : new(bucket.ToLowerInvariant(), key);

    [GeneratedRegex(@"^s3([.-][a-z0-9-]+)?\.amazonaws\.com$", RegexOptions.IgnoreCase)]
    private static partial Regex AwsPathStyleHost();

    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.-]*)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$", RegexOptions.IgnoreCase)]
    private static partial Regex AwsVirtualHost();
}
