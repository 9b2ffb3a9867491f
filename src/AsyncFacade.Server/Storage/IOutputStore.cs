namespace AsyncFacade.Server.Storage;

/// <summary>
/// Where job output lives (NDJSON files, stored upstream bodies, error reports). Keys are relative paths such
/// as "{jobId}/Patient-1.ndjson"; everything a job writes sits under its own id, so deleting a job is one prefix.
/// </summary>
public interface IOutputStore
{
    /// <summary>Starts writing the object; it replaces any existing one when committed.</summary>
    Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens an object a crashed or interrupted run was writing — committed or not — for appending, cut back to
    /// <paramref name="length"/> bytes (whatever was written after the last checkpoint is dropped).
    /// </summary>
    /// <returns>Null when the object is gone or shorter than <paramref name="length"/>: the caller starts it again.</returns>
    Task<IOutputWriter?> ResumeAsync(string key, long length, CancellationToken cancellationToken);

    /// <returns>Null when there is no such object.</returns>
    Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes every object under <c>{prefix}/</c>; a missing prefix is not an error.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}
