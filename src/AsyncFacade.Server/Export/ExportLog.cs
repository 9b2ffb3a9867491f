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

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Export paging: the upstream refused the next link {Url} ({Reason}); resuming from _lastUpdated {LastMs} after {Written} resources")]
    public static partial void PagingRecovered(ILogger logger, string url, string reason, long lastMs, long written);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Export paging: millisecond {Ms} holds a whole page ({Entries} entries); paging it alone")]
    public static partial void PagingBurst(ILogger logger, long ms, int entries);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Export {JobId}: {Type} ({Window}) is incomplete: upstream counts {Expected} (-1: unknown), {Written} exported")]
    public static partial void Incomplete(ILogger logger, string jobId, string type, string window, long expected, long written);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Export {JobId}: {Type} ({Window}) unverified: the upstream gave no count; {Written} exported")]
    public static partial void Unverified(ILogger logger, string jobId, string type, string window, long written);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Export {JobId} is incomplete: {Missing} resources the upstream counts could not be exported (see its error file)")]
    public static partial void FinishedIncomplete(ILogger logger, string jobId, long missing);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Export paging: the upstream refused _sort=_lastUpdated on {Url} ({Reason}); paging that search unsorted")]
    public static partial void SortRefused(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Export paging: the upstream failed a sorted page {Url} ({Reason}); probing for the millisecond after {LastMs} ({Written} written)")]
    public static partial void PagingProbe(ILogger logger, string url, string reason, long lastMs, long written);

    [LoggerMessage(EventId = 11101, Level = LogLevel.Warning, Message = "Export {JobId}: a unit finished but the export could not be queued to continue; the maintenance round will")]
    public static partial void ExportNotWoken(ILogger logger, string jobId, Exception exception);
}
