namespace AsyncFacade.Server.Storage;

/// <summary>An import source on the store that cannot be read: its container/bucket is not allowed, or it is missing.</summary>
/// <param name="missing">True when the object does not exist (a client's `not-found`), false when reading it is not allowed (`forbidden`).</param>
public sealed class StoreSourceException(string message, bool missing = false) : Exception(message)
{
    public bool Missing { get; } = missing;
}
