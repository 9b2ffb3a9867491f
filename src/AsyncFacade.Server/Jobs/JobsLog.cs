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

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information,
        Message = "Job {JobId} interrupted by shutdown; lease released and queued again to resume (from a checkpoint: {HasCheckpoint})")]
    public static partial void Interrupted(ILogger logger, string jobId, bool hasCheckpoint);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Lost the PostgreSQL job-change listener; reconnecting")]
    public static partial void ListenerLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Job {JobId} lost its lease (cancelled or taken over by another node); stopping this run")]
    public static partial void LeaseLost(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Job {JobId} has a stale heartbeat; queued it to run again")]
    public static partial void Requeued(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Job {JobId} expired; its record and files were removed")]
    public static partial void Expired(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Job maintenance failed; retrying on the next round")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat failed; the job keeps running")]
    public static partial void HeartbeatFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Debug, Message = "Job {JobId} waits for its units")]
    public static partial void Waiting(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Debug, Message = "Job {JobId} has waited a while; queued it to look at its units again")]
    public static partial void Rechecked(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Information,
        Message = "Shutting down: {Count} running jobs stop at their next checkpoint (waiting up to {Seconds} s)")]
    public static partial void Draining(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Warning, Message = "Job {JobId} reached no checkpoint before the shutdown deadline; cancelling it (it resumes from its last checkpoint)")]
    public static partial void DrainTimedOut(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Warning, Message = "Shutdown timed out with {Count} jobs still running; they are taken over once their heartbeat is stale")]
    public static partial void ShutdownAbandoned(ILogger logger, int count);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Debug, Message = "Job {JobId} not started: this process is stopping; queued it again for another run")]
    public static partial void NotStarted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Schema {Schema} migrated to version {Version}")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int version);
}
