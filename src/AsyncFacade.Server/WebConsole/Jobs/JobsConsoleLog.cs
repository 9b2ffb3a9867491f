namespace AsyncFacade.Server.WebConsole.Jobs;

internal static partial class JobsConsoleLog
{
    [LoggerMessage(EventId = 11102, Level = LogLevel.Information, Message = "Job {JobId} cancelled from the jobs view by {Remote}")]
    public static partial void Cancelled(ILogger logger, string jobId, string? remote);

    [LoggerMessage(EventId = 11103, Level = LogLevel.Warning, Message = "Jobs view refused {Path} to {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string? remote, string reason);
}
