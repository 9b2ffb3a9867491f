namespace AsyncFacade.Client.Bulk;

/// <summary>Every file of a manifest, downloaded and checked, with what the error files say.</summary>
/// <param name="Issues">The first issues of the error files' OperationOutcomes (at most 100), to show or log.</param>
/// <param name="ErrorLines">OperationOutcomes in all error files.</param>
public sealed record DownloadReport(IReadOnlyList<DownloadedFile> Files, IReadOnlyList<ErrorIssue> Issues, long ErrorLines)
{
    public long Resources => Files.Where(f => f.Role == FileRole.Output).Sum(f => f.Lines);

    public long Bytes => Files.Sum(f => f.Bytes);
}
