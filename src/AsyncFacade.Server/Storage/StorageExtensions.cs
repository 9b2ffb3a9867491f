namespace AsyncFacade.Server.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => TryCreate(o.ResolveLocalPath()), "Storage:LocalPath must be a directory the server can create and write to.")
            .ValidateOnStart();
        services.AddSingleton<IOutputStore, LocalOutputStore>();
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
