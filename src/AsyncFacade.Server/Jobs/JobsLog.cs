namespace AsyncFacade.Server.Jobs;

internal static partial class JobsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Job {JobId} of kind {Kind} queued")]
    public static partial void Queued(ILogger logger, string jobId, string kind);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Job {JobId} started")]
    public static partial void Started(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Job {JobId} finished as {State}")]
    public static partial void Finished(ILogger logger, string jobId, string state);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Job {JobId} not started: it is missing or already {State}")]
    public static partial void Skipped(ILogger logger, string jobId, string state);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Job {JobId} failed")]
    public static partial void Failed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Job {JobId} interrupted by shutdown; Hangfire will run it again")]
    public static partial void Interrupted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Schema {Schema} migrated to version {Version}")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int version);
}
