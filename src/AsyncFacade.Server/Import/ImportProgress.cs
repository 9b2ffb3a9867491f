using System.Globalization;

namespace AsyncFacade.Server.Import;

/// <summary>The X-Progress text of a running import, e.g. "importing: 2 of 5 files, 41,200 lines, 37 errors". Thread-safe.</summary>
internal sealed class ImportProgress(int files, IEnumerable<InputCheckpoint> resumed)
{
    private long lines = resumed.Sum(c => c.Lines);
    private long errors = resumed.Sum(c => c.Errors);
    private long written = resumed.Sum(c => c.Written);
    private int done = resumed.Count(c => c.Done);

    public long Written => Interlocked.Read(ref written);

    public long Errors => Interlocked.Read(ref errors);

    public void Add(long moreLines, long moreWritten, long moreErrors)
    {
        Interlocked.Add(ref lines, moreLines);
        Interlocked.Add(ref written, moreWritten);
        Interlocked.Add(ref errors, moreErrors);
    }

    public void FileDone() => Interlocked.Increment(ref done);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"importing: {Volatile.Read(ref done)} of {files} files, {Interlocked.Read(ref lines):N0} lines, {Errors:N0} errors");
}
