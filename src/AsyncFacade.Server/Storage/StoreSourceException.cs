namespace AsyncFacade.Server.Storage;

/// <summary>An import source on the store that cannot be read: its container/bucket is not allowed, or it is missing.</summary>
public sealed class StoreSourceException(string message) : Exception(message);
