namespace AsyncFacade.Server.Import;

/// <summary>
/// How far one input got: every line up to <see cref="Lines"/> is settled (written upstream, reported as an error, or
/// blank), and its error report is <see cref="ErrorBytes"/> long. A resumed run skips those lines and appends to the report.
/// </summary>
internal sealed record InputCheckpoint(long Lines, long Written, long Errors, long ErrorBytes, bool Done, string? ErrorFile = null)
{
    public static readonly InputCheckpoint Start = new(0, 0, 0, 0, false);
}
