namespace AsyncFacade.Server.Import;

/// <summary>
/// Where one input's bytes come from, decided by <see cref="ImportSourcePolicy"/>: one of this server's own export files
/// (read from the output store, no HTTP), an object the output store's provider reads with the facade's credentials
/// (<see cref="Storage.IOutputStore.TryOpenSourceAsync"/>), a file under Import:FileDirectory, or an allowed http(s) host.
/// </summary>
internal sealed record ImportSource(ImportSource.Kind From, Uri Url, string? ExportJobId = null, string? FileName = null, string? LocalPath = null)
{
    /// <summary>az://{container}/{blob}: only the Azure Blob store can read it.</summary>
    public const string AzureScheme = "az";

    /// <summary>s3://{bucket}/{key}: only the S3 store can read it.</summary>
    public const string S3Scheme = "s3";

    public enum Kind
    {
        OwnExport,
        Store,
        LocalFile,
        Http,
    }
}
