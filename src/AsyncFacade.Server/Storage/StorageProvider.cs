namespace AsyncFacade.Server.Storage;

/// <summary>Storage:Provider. Local stays the embedded default; the object stores let nodes share no disk.</summary>
public enum StorageProvider
{
    Local,
    AzureBlob,
    S3,
}
