using AsyncFacade.Server.Export;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The SSRF guard for import inputs, applied at kick-off, again when the job opens each input, and on every redirect
/// (<see cref="ImportFetcher"/>); the connect-time <see cref="GuardedConnector"/> re-checks resolved addresses.
/// <list type="bullet">
/// <item>This server's own export files (`{facade base}/_async/{id}/files/{name}` of a finished export the same client owns)
/// are read straight from the output store: no request is made, so neither a forged Host header nor the exporter's token matters.</item>
/// <item>Objects on the output store's provider (`az://`, `s3://`, or the storage service's own URL), in a container or bucket the
/// operator listed (Storage:Azure:ImportContainers, Storage:S3:ImportBuckets), are read by the store with the facade's credentials:
/// no request goes through the open-internet path, so no allowed-hosts rule applies to them.</item>
/// <item>file:// only under Import:FileDirectory, with no `..` or symbolic link leading out of it.</item>
/// <item>http(s) only to hosts on Import:AllowedHosts; a host matched only by a wildcard must resolve to public addresses.</item>
/// </list>
/// </summary>
internal sealed class ImportSourcePolicy([FromKeyedServices(ImportOptions.Section)] AllowedHostList allowedHosts, IJobStore jobs, IOutputStore output,
    IOptions<ImportOptions> options)
{
    /// <param name="facadeBase">The facade's FHIR base as the client sees it (the job's base URL).</param>
    /// <param name="owner">The importing client: another client's export is "not found".</param>
    /// <returns>The source, or what is wrong with the URL (its reason reads after the URL's name: "input[0].url: …").</returns>
    public async Task<(ImportSource? Source, ImportProblem? Problem)> CheckAsync(string url, string facadeBase, string owner, bool requiresToken,
        CancellationToken cancellationToken)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (uri.UserInfo.Length > 0)
        {
            // Credentials in the URL would be logged and sent to whatever the host turns out to be; use Import:BearerTokens.
            return Refused("must not contain user information (user:password@); use Import:BearerTokens.");
        }
        if (uri.IsFile)
        {
            return LocalFile(uri);
        }
        if (OwnExportFile(url, facadeBase) is { } own)
        {
            return await OwnExportAsync(uri, own.JobId, own.Name, owner, cancellationToken);
        }
        if (await OnStoreAsync(uri, cancellationToken) is { } onStore)
        {
            return onStore;
        }
        var host = PublicHost.ListedNameOf(uri);
        var problem = await CheckHostAsync(uri, cancellationToken);
        if (problem is null && requiresToken && !options.Value.BearerTokens.ContainsKey(host))
        {
            problem = $"the manifest says its files require an access token, and Import:BearerTokens has none for host '{host}'.";
        }
        return problem is null ? (new ImportSource(ImportSource.Kind.Http, uri), null) : Refused(problem);
    }

    /// <summary>The allow-list rule for one http(s) URL: also what every redirect must pass.</summary>
    public async Task<string?> CheckHostAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (uri.Scheme is not ("http" or "https"))
        {
            return $"the '{uri.Scheme}' scheme is not allowed here.";
        }
        var host = PublicHost.ListedNameOf(uri);
        return allowedHosts.Match(host) switch
        {
            AllowedHostList.HostMatch.Exact => null,
            AllowedHostList.HostMatch.Wildcard => await PublicHost.CheckAsync(uri, cancellationToken) is { } problem
                ? problem[..^1] + " (a host allowed by a wildcard in Import:AllowedHosts must be public; list it exactly to allow it)."
                : null,
            _ => $"host '{host}' is not on this server's Import:AllowedHosts.",
        };
    }

    /// <summary>`{base}/_async/{id}/files/{name}` under the facade's own base, or null.</summary>
    private static (string JobId, string Name)? OwnExportFile(string url, string facadeBase)
    {
        var prefix = facadeBase + "/_async/";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var rest = new Uri(url).AbsolutePath[new Uri(prefix).AbsolutePath.Length..].Split('/');
        return rest is [var id, "files", var name] && OutputKey.IsValid(id) && OutputKey.IsValid(name) ? (id, name) : null;
    }

    private async Task<(ImportSource?, ImportProblem?)> OwnExportAsync(Uri uri, string jobId, string name, string owner, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(jobId, cancellationToken);
        if (job is not { Kind: ExportJobs.Kind, State: JobState.Completed } || job.Owner != owner)
        {
            return NotFound($"points at export '{jobId}' of this server, which is not a finished export of yours (unknown, unfinished, cancelled or expired).");
        }
        await using var file = await output.OpenReadAsync(ExportJobs.FileKey(jobId, name), cancellationToken);
        return file is null
            ? NotFound($"export '{jobId}' of this server has no file '{name}'.")
            : (new ImportSource(ImportSource.Kind.OwnExport, uri, jobId, name), null);
    }

    /// <summary>The store's answer for a URL on it (opened and closed again: it exists and may be read), or null when it is not on it.</summary>
    private async Task<(ImportSource?, ImportProblem?)?> OnStoreAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            await using var stored = await output.TryOpenSourceAsync(uri, cancellationToken);
            if (stored is not null)
            {
                return (new ImportSource(ImportSource.Kind.Store, uri), null);
            }
        }
        catch (StoreSourceException ex) when (ex.Missing)
        {
            return NotFound($"is not on this facade's {output.Provider} store: {ex.Message}");
        }
        catch (StoreSourceException ex)
        {
            return Refused($"is on this facade's {output.Provider} store but cannot be read: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Each provider's SDK fails its own way (RequestFailedException, AmazonS3Exception…); to the client the store is down.
            return (null, new ImportProblem(OperationOutcome.IssueType.Transient, $"the {output.Provider} store could not be asked for it: {ex.Message}"));
        }
        return uri.Scheme is ImportSource.AzureScheme or ImportSource.S3Scheme
            ? Refused($"is an {uri.Scheme}:// URL, which is not on this facade's store (Storage:Provider is {output.Provider}).")
            : null;
    }

    private (ImportSource?, ImportProblem?) LocalFile(Uri uri)
    {
        if (string.IsNullOrEmpty(options.Value.FileDirectory))
        {
            return Refused("file:// inputs are not enabled on this server (Import:FileDirectory is not set).");
        }
        if (!string.IsNullOrEmpty(uri.Host) && !uri.IsLoopback)
        {
            return Refused("file:// URLs must name a local path (file:///…), not a host.");
        }
        if (uri.LocalPath.Contains('\0'))
        {
            // Path.GetFullPath throws on it (a 500); no file name has one.
            return Refused("names a path with a NUL character.");
        }
        var root = Path.GetFullPath(options.Value.FileDirectory).TrimEnd(Path.DirectorySeparatorChar);
        // Uri has already removed dot segments (also %2e%2e); GetFullPath catches anything left, and the prefix check decides.
        var path = Path.GetFullPath(uri.LocalPath);
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || LeavesThroughLink(root, path))
        {
            return Refused("is outside the directory file:// inputs may be read from.");
        }
        return File.Exists(path)
            ? (new ImportSource(ImportSource.Kind.LocalFile, uri, LocalPath: path), null)
            : NotFound("names a file that does not exist.");
    }

    private static (ImportSource?, ImportProblem?) Refused(string reason) => (null, new ImportProblem(OperationOutcome.IssueType.Forbidden, reason));

    private static (ImportSource?, ImportProblem?) NotFound(string reason) => (null, new ImportProblem(OperationOutcome.IssueType.NotFound, reason));

    /// <summary>A symbolic link below the root (the file or a directory on the way) could point anywhere: refused.</summary>
    private static bool LeavesThroughLink(string root, string path)
    {
        for (var current = path; current.Length > root.Length; current = Path.GetDirectoryName(current)!)
        {
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                return true;
            }
        }
        return false;
    }
}
