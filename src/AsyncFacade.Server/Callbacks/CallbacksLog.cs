namespace AsyncFacade.Server.Callbacks;

// Callback lines name the job and the host (host:port), never the path or query (a client may put a token there),
// never the body and never the signing key.
internal static partial class CallbacksLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Callback for job {JobId} queued")]
    public static partial void Queued(ILogger logger, string jobId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Callback queue is full ({Capacity}); dropped the oldest callback, for job {JobId}")]
    public static partial void QueueFull(ILogger logger, int capacity, string jobId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Callback for job {JobId} not queued: the callback dispatcher has stopped")]
    public static partial void NotQueued(ILogger logger, string jobId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Sending {Status} callback for job {JobId} to {CallbackHost}")]
    public static partial void Sending(ILogger logger, string status, string jobId, string callbackHost);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Callback for job {JobId} to {CallbackHost} delivered: {StatusCode} in {ElapsedMs} ms")]
    public static partial void Delivered(ILogger logger, string jobId, string callbackHost, int statusCode, long elapsedMs);

    // Non-2xx "just means the client will poll" (callback extension), so it is not a warning about our server.
    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Callback for job {JobId} to {CallbackHost} answered {StatusCode} in {ElapsedMs} ms; dropped, the client will poll")]
    public static partial void Rejected(ILogger logger, string jobId, string callbackHost, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Callback for job {JobId} to {CallbackHost} timed out after {TimeoutSeconds} s; dropped")]
    public static partial void TimedOut(ILogger logger, string jobId, string callbackHost, int timeoutSeconds);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "Callback for job {JobId} to {CallbackHost} failed: {Error}; dropped")]
    public static partial void Failed(ILogger logger, string jobId, string callbackHost, string error);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Callback for job {JobId} to {CallbackHost} refused: {Reason}; dropped")]
    public static partial void Refused(ILogger logger, string jobId, string callbackHost, string reason);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Outcome of job {JobId} is not a readable OperationOutcome; its callback is sent without one")]
    public static partial void UnreadableOutcome(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Error, Message = "Callback for job {JobId} to {CallbackHost} failed unexpectedly; dropped")]
    public static partial void Unexpected(ILogger logger, string jobId, string callbackHost, Exception exception);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "{Count} pending callbacks dropped at shutdown")]
    public static partial void DroppedAtShutdown(ILogger logger, int count);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Debug, Message = "callback-url refused at kick-off: {Reason}")]
    public static partial void UrlRefused(ILogger logger, string reason);
}
