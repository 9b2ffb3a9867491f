namespace AsyncFacade.Server.Async;

internal static partial class AsyncLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Job {JobId} kicked off for {Method} {Url} in {Mode} mode")]
    public static partial void KickedOff(ILogger logger, string jobId, string method, string url, string mode);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Job {JobId} cancelled")]
    public static partial void Cancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Job {JobId} deleted with its results")]
    public static partial void Deleted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Job {JobId}: the upstream answered {Status}")]
    public static partial void UpstreamAnswered(ILogger logger, string jobId, int status);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Job {JobId}: the upstream could not be reached")]
    public static partial void UpstreamFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Job {JobId}: poll throttled for {Client}")]
    public static partial void Throttled(ILogger logger, string jobId, string client);
}
