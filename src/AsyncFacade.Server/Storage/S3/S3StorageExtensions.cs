using Amazon.S3;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.S3;

internal static class S3StorageExtensions
{
    /// <summary>The S3 store's parts; nothing is created (no client, no bucket call) unless Storage:Provider is s3.</summary>
    public static IServiceCollection AddS3Storage(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<StorageOptions>, S3StorageOptionsValidator>();
        // One client for the process: it pools connections and caches credentials from the default chain.
        services.AddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
        services.AddSingleton<S3OutputStore>();
        services.AddHostedService<S3BucketSetup>();
        return services;
    }
}
