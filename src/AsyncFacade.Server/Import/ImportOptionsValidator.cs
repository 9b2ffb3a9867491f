using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

internal sealed class ImportOptionsValidator : IValidateOptions<ImportOptions>
{
    public ValidateOptionsResult Validate(string? name, ImportOptions options)
    {
        var builder = new ValidateOptionsResultBuilder()
            .Range("Import:BatchSize", options.BatchSize, 1, 10_000)
            .Range("Import:MaxParallelism", options.MaxParallelism, 1, 64)
            .Range("Import:MaxLineBytes", options.MaxLineBytes, 1024, 256 * 1024 * 1024)
            .Range("Import:FetchTimeoutSeconds", options.FetchTimeoutSeconds, 1, 3600);
        if (options.BundleType is not (ImportBundleTypes.Batch or ImportBundleTypes.Transaction))
        {
            builder.AddError($"Import:BundleType must be '{ImportBundleTypes.Batch}' or '{ImportBundleTypes.Transaction}', got '{options.BundleType}'.");
        }
        for (var i = 0; i < options.AllowedHosts.Length; i++)
        {
            if (AllowedHostList.Classify(options.AllowedHosts[i]) == AllowedHostList.EntryKind.Invalid)
            {
                builder.AddError($"Import:AllowedHosts:{i} must be a host name, an IP address or a '*.domain' wildcard " +
                    $"(ASCII, punycode for international names; no scheme, port or path), got '{options.AllowedHosts[i]}'.");
            }
        }
        var listed = new AllowedHostList(options.AllowedHosts);
        foreach (var (host, token) in options.BearerTokens)
        {
            // The token itself never appears in a message.
            if (AllowedHostList.Classify(host) is not (AllowedHostList.EntryKind.Name or AllowedHostList.EntryKind.Address) || !listed.Contains(host))
            {
                builder.AddError($"Import:BearerTokens:{host} must name a host (no wildcard) that is on Import:AllowedHosts.");
            }
            else if (string.IsNullOrWhiteSpace(token))
            {
                builder.AddError($"Import:BearerTokens:{host} is empty.");
            }
        }
        if (!string.IsNullOrEmpty(options.FileDirectory) && (!Path.IsPathFullyQualified(options.FileDirectory) || !Directory.Exists(options.FileDirectory)))
        {
            builder.AddError($"Import:FileDirectory must be the absolute path of an existing directory, got '{options.FileDirectory}'.");
        }
        return builder.Build();
    }
}
