using AsyncFacade.Server.Storage.S3;
using AsyncFacade.Server.Storage.AzureBlob;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.Provider != StorageProvider.Local || TryCreate(o.ResolveLocalPath()), "Storage:LocalPath must be a directory the server can create and write to.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, AzureBlobOptionsValidator>();
        services.AddS3Storage();
        services.AddSingleton<IOutputStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.AzureBlob => ActivatorUtilities.CreateInstance<AzureBlobOutputStore>(sp),
            StorageProvider.S3 => sp.GetRequiredService<S3OutputStore>(),
            _ => ActivatorUtilities.CreateInstance<LocalOutputStore>(sp),
        });
        services.AddSingleton<Metadata.ICapabilityContributor, Metadata.StorageCapabilities>();
        return services;
    }

    private static bool TryCreate(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
