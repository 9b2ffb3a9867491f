using System.Buffers;
using AsyncFacade.Server.Storage;

namespace AsyncFacade.Server.Export;

/// <summary>
/// One unit's NDJSON output: `{stem}-1.ndjson`, `{stem}-2.ndjson`… (the stem is the type, plus the part of a split type). A file is committed (made visible) once it holds
/// Export:MaxResourcesPerFile resources (checked after each page, so it may exceed that by less than a page) or the
/// type is done; a type with no resources has no file. Resuming reopens the open file at its checkpointed length.
/// </summary>
internal sealed class RollingNdjsonFile(IOutputStore output, string jobId, string type, string stem, int maxResourcesPerFile, TypeCheckpoint resume,
    ElementsFilter? elements = null, bool dropDuplicates = false) : IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    // Ids written so far, when several searches (ORed _typeFilter queries) may return the same resource.
    private readonly HashSet<string>? seen = dropDuplicates ? new(StringComparer.Ordinal) : null;
    private readonly List<ExportFile> committed = [.. resume.Files];
    private ExportFile? pendingResume = resume.Open;
    private IOutputWriter? writer;
    private string name = "";
    private long lines;

    public IReadOnlyList<ExportFile> Committed => committed;

    /// <summary>The open file as a checkpoint would record it, or null.</summary>
    public ExportFile? Open => writer is null ? null : new ExportFile(type, name, lines, writer.Length);

    /// <param name="pageType">The type the page holds, when the file mixes types (patient blocks); else the file's type.</param>
    /// <param name="roll">False inside a patient block: a block is not split across files when that can be helped.</param>
    /// <param name="trail">The pager's view of the page (ids, lastUpdated, entries already written).</param>
    public async Task<BundlePageResult> WritePageAsync(Stream page, Paging.PageTrail? trail, CancellationToken cancellationToken, string? pageType = null, bool roll = true)
    {
        writer ??= await OpenAsync(cancellationToken);
        var result = elements is null && seen is null
            ? await BundlePageCopier.CopyAsync(page, writer.Content, pageType ?? type, trail, cancellationToken)
            : await CopyFilteredAsync(page, writer.Content, trail, cancellationToken);
        lines += result.Copied;
        if (roll)
        {
            await RollIfFullAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>Writes one compact JSON resource as a line (a patient block's header and Patient).</summary>
    public async Task WriteLineAsync(ReadOnlyMemory<byte> resource, CancellationToken cancellationToken)
    {
        writer ??= await OpenAsync(cancellationToken);
        await writer.Content.WriteAsync(resource, cancellationToken);
        await writer.Content.WriteAsync(NewLine, cancellationToken);
        lines++;
    }

    /// <summary>Commits the open file once it holds Export:MaxResourcesPerFile lines.</summary>
    public async Task RollIfFullAsync(CancellationToken cancellationToken)
    {
        if (writer is not null && lines >= maxResourcesPerFile)
        {
            await CommitAsync(cancellationToken);
        }
    }

    /// <summary>Makes what was written durable in the store, so a checkpoint can record <see cref="Open"/> (its length).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => writer?.Content.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// `_elements` or duplicate dropping: the page's lines go through the filter. One page (bounded by the copier's page
    /// limit) is held here, never the file; the copier's lines are compact, so '\n' separates resources.
    /// </summary>
    private async Task<BundlePageResult> CopyFilteredAsync(Stream page, Stream file, Paging.PageTrail? trail, CancellationToken cancellationToken)
    {
        using var lines = new MemoryStream();
        var result = await BundlePageCopier.CopyAsync(page, lines, type, trail, cancellationToken);
        var filtered = new ArrayBufferWriter<byte>((int)lines.Length + 1024);
        var remaining = lines.GetBuffer().AsMemory(0, (int)lines.Length);
        var written = 0;
        while (!remaining.IsEmpty)
        {
            var end = remaining.Span.IndexOf((byte)'\n');
            var line = remaining.Span[..end];
            remaining = remaining[(end + 1)..];
            if (seen is not null && !seen.Add(IdOf(line)))
            {
                continue;
            }
            if (elements is null)
            {
                filtered.Write(line);
            }
            else
            {
                elements.Write(line, filtered);
            }
            filtered.Write("\n"u8);
            written++;
        }
        await file.WriteAsync(filtered.WrittenMemory, cancellationToken);
        return result with { Copied = written, Skipped = result.Skipped + result.Copied - written };
    }

    private static string IdOf(ReadOnlySpan<byte> resource)
    {
        var reader = new System.Text.Json.Utf8JsonReader(resource);
        reader.Read();
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId)
            {
                return reader.GetString() ?? "";
            }
            reader.Skip();
        }
        return "";
    }

    public async Task<IReadOnlyList<ExportFile>> CompleteAsync(CancellationToken cancellationToken)
    {
        writer ??= pendingResume is null ? null : await OpenAsync(cancellationToken);
        if (writer is not null && lines > 0)
        {
            await CommitAsync(cancellationToken);
        }
        return committed;
    }

    /// <summary>Keeps an unfinished file for the next run (a crash never gets here; a shutdown or cancel does).</summary>
    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.SuspendAsync(CancellationToken.None);
            await writer.DisposeAsync();
            writer = null;
        }
    }

    private async Task<IOutputWriter> OpenAsync(CancellationToken cancellationToken)
    {
        if (pendingResume is { } open)
        {
            pendingResume = null;
            if (await output.ResumeAsync(ExportJobs.FileKey(jobId, open.Name), open.Bytes, cancellationToken) is { } resumed)
            {
                name = open.Name;
                lines = open.Count;
                return resumed;
            }
            throw new ExportRestartException(type);
        }
        name = $"{stem}-{committed.Count + 1}.ndjson";
        lines = 0;
        return await output.CreateAsync(ExportJobs.FileKey(jobId, name), cancellationToken);
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var file = new ExportFile(type, name, lines, writer!.Length);
        await writer.CommitAsync(cancellationToken);
        await writer.DisposeAsync();
        committed.Add(file);
        writer = null;
        lines = 0;
    }
}
