namespace AsyncFacade.Server.Storage;

/// <summary>Writes to "{final}.partial" and renames on commit (atomic on one file system).</summary>
internal sealed class LocalOutputWriter(string finalPath, FileStream? resumed = null) : IOutputWriter
{
    private readonly string tempPath = TempPathOf(finalPath);
    private FileStream? file = resumed;
    private bool closed;
    private long closedLength;

    public Stream Content => file ??= new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);

    public long Length => closed ? closedLength : file?.Length ?? 0;

    public static string TempPathOf(string finalPath) => finalPath + ".partial";

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var stream = (FileStream)Content;
        await stream.FlushAsync(cancellationToken);
        closedLength = stream.Length;
        await stream.DisposeAsync();
        File.Move(tempPath, finalPath, overwrite: true);
        closed = true;
    }

    public async Task SuspendAsync(CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            await file.FlushAsync(cancellationToken);
            closedLength = file.Length;
            await file.DisposeAsync();
        }
        closed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (file is not null)
        {
            await file.DisposeAsync();
        }
        if (!closed)
        {
            File.Delete(tempPath);
        }
    }
}
