namespace AsyncFacade.Server.Storage.AzureBlob;

internal static partial class AzureBlobLog
{
    [LoggerMessage(EventId = 10001, Level = LogLevel.Information, Message = "Azure Blob output: created container {Container}")]
    public static partial void ContainerCreated(ILogger logger, string container);

    [LoggerMessage(EventId = 10002, Level = LogLevel.Information, Message = "Azure Blob output: no chain of blocks of {Blob} reaches the checkpointed {Length} bytes; the file starts again")]
    public static partial void NoChain(ILogger logger, string blob, long length);

    [LoggerMessage(EventId = 10003, Level = LogLevel.Debug, Message = "Azure Blob output: resumed {Blob} at {Length} bytes ({Blocks} blocks, generation {Generation})")]
    public static partial void Resumed(ILogger logger, string blob, long length, int blocks, uint generation);

    [LoggerMessage(EventId = 10004, Level = LogLevel.Debug, Message = "Azure Blob output: deleted {Count} blobs under {Prefix}")]
    public static partial void PrefixDeleted(ILogger logger, int count, string prefix);

    [LoggerMessage(EventId = 10005, Level = LogLevel.Warning, Message = "Azure Blob output: Storage:SignedLinks is on but the connection string holds no account key, so no SAS can be made; manifests list facade URLs")]
    public static partial void CannotSign(ILogger logger);
}
