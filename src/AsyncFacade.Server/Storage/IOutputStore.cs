namespace AsyncFacade.Server.Storage;

/// <summary>
/// Where job output lives (NDJSON files, stored upstream bodies, error reports). Keys are relative paths such
/// as "{jobId}/Patient-1.ndjson"; everything a job writes sits under its own id, so deleting a job is one prefix.
/// </summary>
public interface IOutputStore
{
    /// <summary>Starts writing the object; it replaces any existing one when committed.</summary>
    Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken);

    /// <returns>Null when there is no such object.</returns>
    Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes every object under <c>{prefix}/</c>; a missing prefix is not an error.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}
