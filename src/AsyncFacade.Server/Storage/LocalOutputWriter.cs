namespace AsyncFacade.Server.Storage;

/// <summary>Writes to "{final}.partial" and renames on commit (atomic on one file system).</summary>
internal sealed class LocalOutputWriter(string finalPath) : IOutputWriter
{
    private readonly string tempPath = finalPath + ".partial";
    private FileStream? file;
    private bool committed;

    public Stream Content => file ??= new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var stream = (FileStream)Content;
        await stream.FlushAsync(cancellationToken);
        await stream.DisposeAsync();
        File.Move(tempPath, finalPath, overwrite: true);
        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (file is not null)
        {
            await file.DisposeAsync();
        }
        if (!committed)
        {
            File.Delete(tempPath);
        }
    }
}
