namespace AsyncFacade.Server.Storage;

public sealed record StoredObject(Stream Content, long Length, DateTimeOffset LastModified) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
