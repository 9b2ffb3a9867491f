using AsyncFacade.Server.Storage;

namespace AsyncFacade.Server.Export;

/// <summary>
/// One type's NDJSON output: `{Type}-1.ndjson`, `{Type}-2.ndjson`… A file is committed (made visible) once it holds
/// Export:MaxResourcesPerFile resources (checked after each page, so it may exceed that by less than a page) or
/// the type is done; a type with no resources has no file.
/// </summary>
internal sealed class RollingNdjsonFile(IOutputStore output, string jobId, string type, int maxResourcesPerFile) : IAsyncDisposable
{
    private readonly List<ExportFile> committed = [];
    private IOutputWriter? writer;
    private string name = "";
    private long lines;

    public async Task<BundlePageResult> WritePageAsync(Stream page, CancellationToken cancellationToken)
    {
        if (writer is null)
        {
            name = $"{type}-{committed.Count + 1}.ndjson";
            writer = await output.CreateAsync(ExportJobs.FileKey(jobId, name), cancellationToken);
        }
        var result = await BundlePageCopier.CopyAsync(page, writer.Content, type, cancellationToken);
        lines += result.Copied;
        if (lines >= maxResourcesPerFile)
        {
            await CommitAsync(cancellationToken);
        }
        return result;
    }

    public async Task<IReadOnlyList<ExportFile>> CompleteAsync(CancellationToken cancellationToken)
    {
        if (lines > 0)
        {
            await CommitAsync(cancellationToken);
        }
        return committed;
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.DisposeAsync(); // uncommitted: discarded
            writer = null;
        }
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        await writer!.CommitAsync(cancellationToken);
        await writer.DisposeAsync();
        committed.Add(new ExportFile(type, name, lines));
        writer = null;
        lines = 0;
    }
}
