namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// Where a server process keeps its output in the crash and hand-over tests: a directory the processes share, or a
/// container/bucket of its own on the Azurite or s3rver that test.sh starts. On an object store every process keeps
/// its own random Storage:LocalPath (ServerProcess sets one), so nothing is shared on disk.
/// </summary>
public static class TestObjectStores
{
    public const string Local = "local";
    public const string AzureBlob = "azureblob";
    public const string S3 = "s3";

    /// <summary>s3rver's fixed access key and secret (it verifies signatures against them).</summary>
    public const string S3Key = "S3RVER";

    public static Uri S3Endpoint => new(Environment.GetEnvironmentVariable("ASYNCFACADE_TEST_S3") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("ASYNCFACADE_TEST_S3 is not set. Run the tests with ./test.sh, which starts s3rver and sets it."));

    /// <summary>Environment settings (Section__Key) for processes that share one store of <paramref name="provider"/>.</summary>
    public static Dictionary<string, string> ProcessSettings(string provider) => provider switch
    {
        AzureBlob => new()
        {
            ["Storage__Provider"] = AzureBlob,
            ["Storage__Azure__ConnectionString"] = TestAzurite.ConnectionString,
            ["Storage__Azure__Container"] = TestAzurite.NewContainer("handover"),
        },
        S3 => new()
        {
            ["Storage__Provider"] = S3,
            ["Storage__S3__Bucket"] = "af-handover-" + Guid.NewGuid().ToString("N")[..20],
            ["Storage__S3__ServiceUrl"] = S3Endpoint.ToString(),
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Storage__S3__AccessKeyId"] = S3Key,
            ["Storage__S3__SecretAccessKey"] = S3Key,
        },
        Local => new() { ["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N")) },
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "local, azureblob or s3"),
    };
}
