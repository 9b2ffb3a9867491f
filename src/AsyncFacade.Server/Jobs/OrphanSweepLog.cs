namespace AsyncFacade.Server.Jobs;

internal static partial class OrphanSweepLog
{
    [LoggerMessage(EventId = 10101, Level = LogLevel.Information,
        Message = "Output prefix {Prefix} belongs to no job (orphaned since {FirstSeen:O}); removed its objects and unfinished uploads")]
    public static partial void Removed(ILogger logger, string prefix, DateTimeOffset firstSeen);

    [LoggerMessage(EventId = 10102, Level = LogLevel.Warning,
        Message = "Orphan sweep: {Count} more orphaned prefixes are not tracked, the cap of {Cap} is reached; later sweeps remove them")]
    public static partial void CandidatesFull(ILogger logger, int count, int cap);

    [LoggerMessage(EventId = 10103, Level = LogLevel.Debug,
        Message = "Orphan sweep listed {Listed} output prefixes: {Candidates} orphans within their grace, {Removed} removed")]
    public static partial void Swept(ILogger logger, int listed, int candidates, int removed);

    [LoggerMessage(EventId = 10104, Level = LogLevel.Debug, Message = "Orphan sweep: output prefix {Prefix} is not a job id; left alone")]
    public static partial void Skipped(ILogger logger, string prefix);

    [LoggerMessage(EventId = 10105, Level = LogLevel.Warning, Message = "Orphan sweep failed; trying again at the next sweep")]
    public static partial void Failed(ILogger logger, Exception exception);
}
