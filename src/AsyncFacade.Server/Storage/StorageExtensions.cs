using AsyncFacade.Server.Storage.S3;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => TryCreate(o.ResolveLocalPath()), "Storage:LocalPath must be a directory the server can create and write to.")
            .ValidateOnStart();
        services.AddSingleton<LocalOutputStore>();
        services.AddS3Storage();
        services.AddSingleton<IOutputStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.S3 => sp.GetRequiredService<S3OutputStore>(),
            _ => sp.GetRequiredService<LocalOutputStore>(),
        });
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
