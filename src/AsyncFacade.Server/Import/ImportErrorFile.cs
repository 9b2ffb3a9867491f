using System.Buffers;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>
/// One input's error report: an NDJSON file of OperationOutcomes, one per line that was not imported, naming the input
/// and the line in `diagnostics`. Created on the first error; lines are gathered per batch and written before the
/// checkpoint that counts them, so a resumed run reopens the file at exactly the checkpointed length.
/// </summary>
internal sealed class ImportErrorFile(IOutputStore output, string jobId, int index, string source) : IAsyncDisposable
{
    private readonly ArrayBufferWriter<byte> pending = new();
    private IOutputWriter? writer;
    private bool committed;

    public string Name { get; } = ImportJobs.ErrorFileName(index);

    public long Count { get; private set; }

    /// <summary>Bytes on file (what a checkpoint records); pending lines are not counted until <see cref="FlushAsync"/>.</summary>
    public long Bytes => writer?.Length ?? 0;

    private string Key => ExportJobs.FileKey(jobId, Name);

    /// <summary>Reopens the report of an interrupted run; null when it is gone or shorter than checkpointed (the input restarts).</summary>
    public static async Task<ImportErrorFile?> ResumeAsync(IOutputStore output, string jobId, int index, string source, long bytes, long count,
        CancellationToken cancellationToken)
    {
        var file = new ImportErrorFile(output, jobId, index, source) { Count = count };
        if (bytes > 0 && (file.writer = await output.ResumeAsync(file.Key, bytes, cancellationToken)) is null)
        {
            return null;
        }
        return file;
    }

    public void Add(long line, ImportProblem problem)
    {
        var where = line > 0 ? $"{source} line {line}" : source;
        var outcome = Outcomes.Create(problem.Code, $"{where}: {problem.Reason}", expression: problem.Expression);
        pending.Write(System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(outcome)));
        pending.Write("\n"u8);
        Count++;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (pending.WrittenCount == 0)
        {
            return;
        }
        writer ??= await output.CreateAsync(Key, cancellationToken);
        await writer.Content.WriteAsync(pending.WrittenMemory, cancellationToken);
        await writer.Content.FlushAsync(cancellationToken);
        pending.ResetWrittenCount();
    }

    /// <returns>The file's name, or null when the input had no errors.</returns>
    public async Task<string?> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (writer is null)
        {
            return null;
        }
        await writer.CommitAsync(cancellationToken);
        committed = true;
        return Name;
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is null)
        {
            return;
        }
        if (!committed)
        {
            // Interrupted (cancel, shutdown, crash of this input): keep what the last checkpoint counts, for a resumed run.
            await writer.SuspendAsync(CancellationToken.None);
        }
        await writer.DisposeAsync();
    }
}
