using System.Runtime.CompilerServices;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// Output in one Azure Blob Storage container, each key a block blob under Storage:Azure:Prefix, written block by
/// block (<see cref="BlockStagingStream"/>) and resumed from the blob's block list (<see cref="BlockChain"/>).
/// </summary>
internal sealed class AzureBlobOutputStore : IOutputStore
{
    /// <summary>What a read stream fetches per request: a download through the facade holds at most this per client.</summary>
    private const int ReadBufferSize = 4 * 1024 * 1024;

    private readonly BlobServiceClient service;
    private readonly BlobContainerClient container;
    private readonly AzureBlobStorageOptions options;
    private readonly string prefix;
    private readonly bool signedLinks;
    private readonly ILogger logger;
    private readonly SemaphoreSlim containerGate = new(1, 1);
    private readonly UserDelegationKeys delegationKeys;
    private volatile bool containerReady;
    private bool cannotSignLogged;

    public AzureBlobOutputStore(IOptions<StorageOptions> storage, TimeProvider time, ILogger<AzureBlobOutputStore> logger)
    {
        options = storage.Value.Azure;
        signedLinks = storage.Value.SignedLinks;
        service = options.ConnectionString is { Length: > 0 } connectionString
            ? new BlobServiceClient(connectionString)
            : new BlobServiceClient(options.AccountUrl, new DefaultAzureCredential());
        container = service.GetBlobContainerClient(options.Container);
        prefix = NormalizePrefix(options.Prefix);
        this.logger = logger;
        delegationKeys = new UserDelegationKeys(service, time);
    }

    public string Provider => "azureblob";

    /// <summary>"" or "a/b/": the Prefix with exactly one trailing slash, so "exports" and "exports/" mean the same.</summary>
    public static string NormalizePrefix(string? prefix) => prefix?.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : "";

    public async Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlockBlobClient(BlobName(key));
        await EnsureContainerAsync(cancellationToken);
        // A generation above any block left on the blob (an earlier, abandoned run), so a later resume prefers this run's.
        var generation = BlockChain.NextGeneration(await BlockListAsync(blob, cancellationToken));
        return new AzureBlobOutputWriter(new BlockStagingStream(blob, new BlockChain([], generation, 0), 0), ContentTypeOf(key));
    }

    public async Task<IOutputWriter?> ResumeAsync(string key, long length, CancellationToken cancellationToken)
    {
        var blob = container.GetBlockBlobClient(BlobName(key));
        if (await BlockListAsync(blob, cancellationToken) is not { } blocks)
        {
            return null;
        }
        // Committed blocks count too: a run may have committed the file after the checkpoint that still lists it as open.
        if (BlockChain.Find(blocks, length) is not { } chain)
        {
            AzureBlobLog.NoChain(logger, blob.Name, length);
            return null;
        }
        AzureBlobLog.Resumed(logger, blob.Name, length, chain.Ids.Count, chain.Generation);
        return new AzureBlobOutputWriter(new BlockStagingStream(blob, chain, length), ContentTypeOf(key));
    }

    public Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        OpenAsync(container.GetBlobClient(BlobName(key)), cancellationToken);

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var under = this.prefix + OutputKey.Validate(prefix) + "/";
        var deleted = 0;
        // States.Uncommitted also lists blobs that have only uncommitted blocks (a suspended or crashed writer's).
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = under, States = BlobStates.Uncommitted }, cancellationToken))
        {
            await DeleteAsync(container.GetBlockBlobClient(item.Name), cancellationToken);
            deleted++;
        }
        AzureBlobLog.PrefixDeleted(logger, deleted, under);
    }

    public async Task<Uri?> GetReadLinkAsync(string key, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        if (!signedLinks)
        {
            return null;
        }
        var blob = container.GetBlobClient(BlobName(key));
        // A connection string with the account key: an account-key service SAS, made locally.
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(BlobSasPermissions.Read, expires);
        }
        if (options.AccountUrl is null)
        {
            if (!cannotSignLogged)
            {
                cannotSignLogged = true;
                AzureBlobLog.CannotSign(logger);
            }
            return null;
        }
        // An Entra ID credential: a user-delegation SAS, signed with a key the service lends (cached, at most 7 days).
        var delegation = await delegationKeys.GetAsync(cancellationToken);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expires < delegation.SignedExpiresOn ? expires : delegation.SignedExpiresOn)
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            // No start time: valid at once whatever our clock says, and the same link for the same expiry (stable manifests).
            Resource = "b",
        };
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(delegation, service.AccountName) }.ToUri();
    }

    public async IAsyncEnumerable<string> ListPrefixesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listing = container.GetBlobsByHierarchyAsync(
            new GetBlobsByHierarchyOptions { Delimiter = "/", Prefix = prefix, States = BlobStates.Uncommitted }, cancellationToken);
        await foreach (var item in listing)
        {
            if (item.IsPrefix)
            {
                yield return item.Prefix[prefix.Length..^1];
            }
        }
    }

    public async Task<StoredObject?> TryOpenSourceAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!TryParseSource(url, out var containerName, out var blobName))
        {
            return null;
        }
        if (blobName.Length == 0)
        {
            throw new StoreSourceException($"'{url}' names a container, not a blob.");
        }
        // Never the facade's own output (other jobs' files), even when the operator lists the output container.
        if (!options.ImportContainers.Contains(containerName, StringComparer.Ordinal) ||
            (containerName == options.Container && blobName.StartsWith(prefix, StringComparison.Ordinal)))
        {
            throw new StoreSourceException($"The container '{containerName}' is not one this server imports from (Storage:Azure:ImportContainers).");
        }
        return await OpenAsync(service.GetBlobContainerClient(containerName).GetBlobClient(blobName), cancellationToken)
            ?? throw new StoreSourceException($"'{url}' does not exist.", missing: true);
    }

    /// <summary>
    /// Readiness writes and deletes a probe blob: a properties call would pass with a read-only credential (a Reader role,
    /// a SAS without 'w'), and then every export would fail at its first file instead of the node staying out of rotation.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        if (!(await container.ExistsAsync(cancellationToken)).Value)
        {
            throw new InvalidOperationException($"The container '{container.Name}' (Storage:Azure:Container) does not exist.");
        }
        var probe = container.GetBlobClient($"{prefix}.ready-{Guid.NewGuid():N}");
        await probe.UploadAsync(BinaryData.Empty, cancellationToken);
        await probe.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private static async Task<StoredObject?> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            // A blob with only uncommitted blocks has no properties (404): it is not visible yet.
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            // Seekable (Range requests) and pinned to this version: a blob replaced mid-download fails instead of mixing bytes.
            var content = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
            {
                BufferSize = ReadBufferSize,
                Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
            }, cancellationToken);
            return new StoredObject(content, properties.ContentLength, properties.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static async Task DeleteAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        if ((await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value)
        {
            return;
        }
        // Not there to delete: removed meanwhile (a DELETE and the clean-up round at once), or it has only uncommitted
        // blocks, which Delete Blob does not see. Committing an empty list discards those blocks and leaves an empty blob
        // that can be deleted; IfNoneMatch * makes sure that commit never overwrites a blob committed meanwhile.
        if (await BlockListAsync(blob, cancellationToken) is { } blocks && blocks.UncommittedBlocks.Any() && !blocks.CommittedBlocks.Any())
        {
            try
            {
                await blob.CommitBlockListAsync([], new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed)
            {
                // Committed (or emptied by another deleter) meanwhile: deleted below all the same.
            }
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
    }

    private static async Task<BlockList?> BlockListAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static string ContentTypeOf(string key) =>
        key.EndsWith(".ndjson", StringComparison.Ordinal) ? "application/fhir+ndjson" : "application/octet-stream";

    private string BlobName(string key) => prefix + OutputKey.Validate(key);

    /// <summary>az://{container}/{blob}, or this account's own URL for a blob (host, port and account path as configured).</summary>
    private bool TryParseSource(Uri url, out string containerName, out string blobName)
    {
        containerName = blobName = "";
        string path;
        if (url.Scheme == "az")
        {
            containerName = url.Host;
            path = url.AbsolutePath.TrimStart('/');
        }
        else
        {
            var endpoint = service.Uri;
            var accountPath = endpoint.AbsolutePath.TrimEnd('/') + "/";
            if (url.Scheme is not ("https" or "http") || !string.Equals(url.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase) ||
                url.Port != endpoint.Port || !url.AbsolutePath.StartsWith(accountPath, StringComparison.Ordinal))
            {
                return false;
            }
            var rest = url.AbsolutePath[accountPath.Length..];
            var slash = rest.IndexOf('/');
            containerName = slash < 0 ? rest : rest[..slash];
            path = slash < 0 ? "" : rest[(slash + 1)..];
        }
        blobName = Uri.UnescapeDataString(path);
        return true;
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (containerReady || !options.CreateContainer)
        {
            return;
        }
        await containerGate.WaitAsync(cancellationToken);
        try
        {
            if (!containerReady)
            {
                if (await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken) is not null)
                {
                    AzureBlobLog.ContainerCreated(logger, container.Name);
                }
                containerReady = true;
            }
        }
        finally
        {
            containerGate.Release();
        }
    }
}
