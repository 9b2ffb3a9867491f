using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Storage.S3;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Tests.Storage;

/// <summary>
/// A fresh bucket on the s3rver that test.sh starts (ASYNCFACADE_TEST_S3; s3rver's fixed keys S3RVER/S3RVER,
/// signatures verified, path-style), one per test class. Fails, never skips, when the variable is missing.
/// </summary>
public sealed class S3TestBucket : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";

    public Uri Endpoint { get; } = new(Environment.GetEnvironmentVariable("ASYNCFACADE_TEST_S3")
        ?? throw new InvalidOperationException("ASYNCFACADE_TEST_S3 is not set: run the S3 tests through ./test.sh, which starts s3rver."));

    public string Name { get; } = "af-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A second bucket $import may read from (listed in ImportBuckets).</summary>
    public string ImportName { get; } = "af-import-" + Guid.NewGuid().ToString("N")[..16];

    public StorageOptions Options(bool signedLinks = false, string prefix = "") => new()
    {
        Provider = StorageProvider.S3,
        SignedLinks = signedLinks,
        S3 = new S3StorageOptions
        {
            Bucket = Name,
            Prefix = prefix,
            ServiceUrl = Endpoint,
            ForcePathStyle = true,
            AccessKeyId = AccessKey,
            SecretAccessKey = AccessKey,
            ImportBuckets = [ImportName, Name],
        },
    };

    /// <summary>Configuration for a facade host on this bucket.</summary>
    public Dictionary<string, string?> Settings(bool signedLinks = false) => new()
    {
        ["Storage:Provider"] = "s3",
        ["Storage:SignedLinks"] = signedLinks ? "true" : "false",
        ["Storage:S3:Bucket"] = Name,
        ["Storage:S3:ServiceUrl"] = Endpoint.ToString(),
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:AccessKeyId"] = AccessKey,
        ["Storage:S3:SecretAccessKey"] = AccessKey,
    };

    internal S3OutputStore CreateStore(StorageOptions options) =>
        new(S3ClientFactory.Create(options.S3), Microsoft.Extensions.Options.Options.Create(options), NullLogger<S3OutputStore>.Instance);

    public async ValueTask InitializeAsync()
    {
        await CreateStore(Options()).EnsureBucketAsync(TestContext.Current.CancellationToken);
        var import = Options();
        import.S3.Bucket = ImportName;
        await CreateStore(import).EnsureBucketAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
