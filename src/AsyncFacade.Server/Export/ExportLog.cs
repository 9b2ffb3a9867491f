namespace AsyncFacade.Server.Export;

internal static partial class ExportLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Export {JobId} kicked off at {Level} level for {TypeCount} requested types (0 = all)")]
    public static partial void KickedOff(ILogger logger, string jobId, string level, int typeCount);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Export {JobId}: {Type} failed at {Url}: {Reason}")]
    public static partial void TypeFailed(ILogger logger, string jobId, string type, string url, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Export {JobId} wrote {Resources} resources in {Files} files with {Errors} errors")]
    public static partial void Finished(ILogger logger, string jobId, long resources, int files, int errors);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Export {JobId} was cancelled but its units could not all be cancelled")]
    public static partial void UnitsNotCancelled(ILogger logger, string jobId, Exception exception);
}
