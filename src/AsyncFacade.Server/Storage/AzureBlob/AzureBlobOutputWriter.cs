namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// One block blob being written (see <see cref="BlockStagingStream"/>). Suspend only stages what is buffered: the
/// uncommitted blocks are what a later <see cref="IOutputStore.ResumeAsync"/> rebuilds the object from. Dispose without
/// commit commits nothing; the staged blocks are left to Azure's clean-up of uncommitted blocks, or to the next commit.
/// </summary>
internal sealed class AzureBlobOutputWriter(BlockStagingStream content, string contentType) : IOutputWriter
{
    public Stream Content => content;

    public long Length => content.Written;

    public Task CommitAsync(CancellationToken cancellationToken) => content.CommitAsync(contentType, cancellationToken);

    public Task SuspendAsync(CancellationToken cancellationToken) => content.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
