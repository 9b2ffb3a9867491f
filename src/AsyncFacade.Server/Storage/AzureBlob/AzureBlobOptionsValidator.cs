using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>Storage:Azure, checked at start when Storage:Provider is azureblob: each failure names its key.</summary>
internal sealed partial class AzureBlobOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider != StorageProvider.AzureBlob)
        {
            return ValidateOptionsResult.Skip;
        }
        var azure = options.Azure;
        var failures = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(azure.ConnectionString);
        if (hasConnectionString == (azure.AccountUrl is not null))
        {
            failures.Add("Storage:Azure:ConnectionString or Storage:Azure:AccountUrl must be set (exactly one of them) when Storage:Provider is azureblob.");
        }
        else if (hasConnectionString && !ParsesAsConnectionString(azure.ConnectionString!))
        {
            failures.Add("Storage:Azure:ConnectionString is not a storage connection string (AccountName=…;AccountKey=… or BlobEndpoint=…;SharedAccessSignature=…).");
        }
        else if (azure.AccountUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http")))
        {
            failures.Add($"Storage:Azure:AccountUrl must be an absolute https URL such as https://myaccount.blob.core.windows.net, not '{url}'.");
        }
        if (!IsContainerName(azure.Container))
        {
            failures.Add($"Storage:Azure:Container '{azure.Container}' is not a valid container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }
        if (AzureBlobOutputStore.NormalizePrefix(azure.Prefix) is { Length: > 0 } prefix && !OutputKey.IsValid(prefix.TrimEnd('/')))
        {
            failures.Add($"Storage:Azure:Prefix '{azure.Prefix}' must be path segments of letters, digits, '.', '_' and '-' separated by '/'.");
        }
        foreach (var container in azure.ImportContainers.Where(c => !IsContainerName(c)))
        {
            failures.Add($"Storage:Azure:ImportContainers lists '{container}', which is not a valid container name.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Azure's rule for container names (Naming and referencing containers, blobs and metadata).
    public static bool IsContainerName(string? name) => name is { Length: >= 3 and <= 63 } && ContainerName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    private static bool ParsesAsConnectionString(string connectionString)
    {
        try
        {
            _ = new BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex ContainerName();
}
