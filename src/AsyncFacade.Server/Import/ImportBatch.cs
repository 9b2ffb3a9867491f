using System.Buffers;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The lines of one batch, copied once into a buffer that is reused for the whole file (so memory is bounded by one
/// batch, not the file), with each entry's line number, id and byte range: a rejected batch can be split and resent.
/// </summary>
internal sealed class ImportBatch(int capacity)
{
    // Past this many bytes a batch is sent early: a batch of large resources stays well inside common request-body limits
    // (Kestrel's default is 30 MB).
    public const int MaxBytes = 8 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> bytes = new(64 * 1024);
    private readonly List<BatchEntry> entries = new(capacity);

    public int Count => entries.Count;

    public bool IsFull => entries.Count >= capacity || bytes.WrittenCount >= MaxBytes;

    public IReadOnlyList<BatchEntry> Entries => entries;

    public ReadOnlyMemory<byte> Resource(BatchEntry entry) => bytes.WrittenMemory.Slice(entry.Start, entry.Length);

    public void Add(ReadOnlySequence<byte> line, long lineNumber, string? id)
    {
        var start = bytes.WrittenCount;
        foreach (var segment in line)
        {
            bytes.Write(segment.Span);
        }
        entries.Add(new BatchEntry(lineNumber, id, start, bytes.WrittenCount - start));
    }

    public void Clear()
    {
        // ResetWrittenCount keeps the buffer for the next batch; Clear would also zero it, which nothing needs.
        bytes.ResetWrittenCount();
        entries.Clear();
    }
}

/// <summary>One line in a batch: where it came from, its id (null: created with POST) and where its bytes are.</summary>
internal readonly record struct BatchEntry(long Line, string? Id, int Start, int Length);
