using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.S3;

/// <summary>At start, on Provider=s3: creates the bucket when Storage:S3:CreateBucket allows and it is missing.</summary>
internal sealed class S3BucketSetup(IServiceProvider services, IOptions<StorageOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.Provider == StorageProvider.S3
            ? services.GetRequiredService<S3OutputStore>().EnsureBucketAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
