namespace AsyncFacade.Server.Storage;

/// <summary>Storage:Azure — used when Storage:Provider is azureblob.</summary>
public sealed class AzureBlobStorageOptions
{
    /// <summary>A storage connection string (account key or SAS). Either this or <see cref="AccountUrl"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://{account}.blob.core.windows.net, authenticated with DefaultAzureCredential.</summary>
    public Uri? AccountUrl { get; set; }

    public string Container { get; set; } = "asyncfacade";

    /// <summary>Prepended to every key ("exports/" puts job 42 under exports/42/...). Empty by default.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Create the container at start when it is missing (needs the right to do so).</summary>
    public bool CreateContainer { get; set; } = true;

    /// <summary>Containers <c>$import</c> may read sources from (az://{container}/…) with the facade's credentials.</summary>
    public List<string> ImportContainers { get; set; } = [];
}
