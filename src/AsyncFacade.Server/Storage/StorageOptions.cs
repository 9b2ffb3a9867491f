namespace AsyncFacade.Server.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>local (default), azureblob or s3.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    /// <summary>Directory for job output (Provider=local). Default: asyncfacade/output under the system temp directory.</summary>
    public string? LocalPath { get; set; }

    /// <summary>
    /// Object stores only: manifests list signed URLs (valid until the job's Expires, requiresAccessToken false), so
    /// clients download straight from storage. Off: the facade serves the files itself.
    /// </summary>
    public bool SignedLinks { get; set; }

    public AzureBlobStorageOptions Azure { get; set; } = new();

    public S3StorageOptions S3 { get; set; } = new();

    public string ResolveLocalPath() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(LocalPath) ? Path.Combine(Path.GetTempPath(), "asyncfacade", "output") : LocalPath);
}
