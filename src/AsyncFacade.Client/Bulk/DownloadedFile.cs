namespace AsyncFacade.Client.Bulk;

/// <summary>One downloaded manifest file.</summary>
/// <param name="Path">Where it was saved.</param>
/// <param name="Lines">NDJSON lines (resources, or OperationOutcomes in an error file).</param>
/// <param name="ResumedFrom">Bytes kept from an earlier, interrupted attempt (sent as `Range: bytes=N-`); 0 when none.</param>
/// <param name="Restarted">The server ignored a Range request (answered 200), so the file was downloaded again from the start.</param>
public sealed record DownloadedFile(ManifestFile Source, FileRole Role, string Path, long Bytes, long Lines, long ResumedFrom, bool Restarted, int Attempts);
