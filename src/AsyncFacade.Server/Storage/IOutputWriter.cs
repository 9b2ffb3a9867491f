namespace AsyncFacade.Server.Storage;

/// <summary>
/// An object being written. Nothing is visible under the key until <see cref="CommitAsync"/>; disposing
/// without committing discards what was written, so a failed job never leaves half a file — unless the writer
/// was suspended, which keeps the unfinished object for <see cref="IOutputStore.ResumeAsync"/>.
/// </summary>
public interface IOutputWriter : IAsyncDisposable
{
    Stream Content { get; }

    /// <summary>Bytes written so far (including those of a resumed object).</summary>
    long Length { get; }

    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Closes the writer keeping the unfinished object, for a later run to resume.</summary>
    Task SuspendAsync(CancellationToken cancellationToken);
}
