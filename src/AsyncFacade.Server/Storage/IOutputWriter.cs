namespace AsyncFacade.Server.Storage;

/// <summary>
/// An object being written. Nothing is visible under the key until <see cref="CommitAsync"/>; disposing
/// without committing discards what was written, so a failed or cancelled job never leaves half a file.
/// </summary>
public interface IOutputWriter : IAsyncDisposable
{
    Stream Content { get; }

    Task CommitAsync(CancellationToken cancellationToken);
}
