namespace AsyncFacade.Server.Import;

// Source URLs are never logged whole: pre-signed URLs carry their credentials in the query.
internal static partial class ImportLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Import {JobId} kicked off with {Inputs} inputs ({Form} form, mode {Mode})")]
    public static partial void KickedOff(ILogger logger, string jobId, int inputs, string form, string mode);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Import {JobId}: input {Index} could not be read: {Reason}")]
    public static partial void InputFailed(ILogger logger, string jobId, int index, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Import {JobId}: reading input {Index} broke after line {Line}: {Reason}")]
    public static partial void ReadBroke(ILogger logger, string jobId, int index, long line, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Import {JobId} wrote {Written} resources from {Inputs} inputs with {Errors} errors")]
    public static partial void Finished(ILogger logger, string jobId, long written, int inputs, long errors);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Import kick-off refused at {Parameter}: {Reason}")]
    public static partial void Refused(ILogger logger, string parameter, string reason);

    // Debug: in front of a server that always answers this way (Medplum's empty return=minimal bodies) it is every batch.
    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug,
        Message = "The upstream's batch answer left {Entries} {Type} entries open ({Hint}); read back, {Written} were stored as sent")]
    public static partial void ReadBack(ILogger logger, int entries, string type, string hint, int written);
}
