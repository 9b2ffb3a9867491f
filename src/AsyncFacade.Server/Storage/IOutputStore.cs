namespace AsyncFacade.Server.Storage;

/// <summary>
/// Where job output lives (NDJSON files, stored upstream bodies, error reports). Keys are relative paths such
/// as "{jobId}/Patient-1.ndjson"; everything a job writes sits under its own id, so deleting a job is one prefix.
/// Implemented on the local disk, Azure Blob Storage and S3; every provider passes the same contract tests
/// (tests/AsyncFacade.Tests/Storage/OutputStoreContract.cs).
/// </summary>
public interface IOutputStore
{
    /// <summary>"local", "azureblob" or "s3": named in the CapabilityStatement and the readiness check.</summary>
    string Provider { get; }

    /// <summary>
    /// Starts writing the object; it replaces any existing one when committed. The writer streams: what it holds in
    /// memory is bounded by the provider's block/part size, never the object. Each <c>Content.FlushAsync</c> makes
    /// the bytes so far durable enough for <see cref="ResumeAsync"/> to reopen the object at exactly that length.
    /// </summary>
    Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens an object a crashed or interrupted run was writing — committed or not — for appending, cut back to
    /// <paramref name="length"/> bytes (whatever was written after the last checkpoint is dropped).
    /// </summary>
    /// <returns>Null when the object is gone or cannot be reopened at exactly that length: the caller starts it again.</returns>
    Task<IOutputWriter?> ResumeAsync(string key, long length, CancellationToken cancellationToken);

    /// <returns>Null when there is no such committed object. Its content stream is seekable (Range requests).</returns>
    Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every object under <c>{prefix}/</c>, and any unfinished upload there; a missing prefix is not an error.
    /// </summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// A URL that lets anyone holding it GET the committed object without credentials until <paramref name="expires"/>
    /// (Azure SAS, S3 presigned GET). Null when the store cannot sign (the local disk) or signed links are off.
    /// </summary>
    Task<Uri?> GetReadLinkAsync(string key, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>
    /// The top-level prefixes (job ids) that hold objects or unfinished uploads, for the orphan sweep, which
    /// compares them with the job store.
    /// </summary>
    IAsyncEnumerable<string> ListPrefixesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens an <c>$import</c> source that lives on this store — <c>az://{container}/{blob}</c> or
    /// <c>s3://{bucket}/{key}</c>, or the store's own https URL for an object — with the facade's credentials, so it is
    /// never fetched through the open-internet path. Only the containers/buckets the operator listed in
    /// Storage:Azure:ImportContainers or Storage:S3:ImportBuckets are readable, never the facade's own output.
    /// </summary>
    /// <returns>Null when the URL is not on this store (the caller fetches it over HTTP under the SSRF rules).</returns>
    /// <exception cref="StoreSourceException">The URL is on this store but not readable: not allowed, or missing.</exception>
    Task<StoredObject?> TryOpenSourceAsync(Uri url, CancellationToken cancellationToken);

    /// <summary>Readiness: throws when the store cannot be reached or written.</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}
