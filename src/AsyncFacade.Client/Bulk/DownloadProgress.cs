namespace AsyncFacade.Client.Bulk;

/// <summary>Reported while files download: totals so far.</summary>
/// <param name="Resources">Lines received so far in output files.</param>
public sealed record DownloadProgress(int FilesDone, int FilesTotal, long Bytes, long Resources, string? CurrentFile);
