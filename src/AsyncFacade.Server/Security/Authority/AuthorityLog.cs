namespace AsyncFacade.Server.Security.Authority;

// The identity provider (Auth:Authority): its discovery document and keys as the facade sees them. Key ids and
// addresses only, never key material or tokens. Event ids 8101–8149.
internal static partial class AuthorityLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Read the identity provider's discovery document {Address}: issuer {Issuer}, signing keys {KeyIds}; next read in {RefreshSeconds} s")]
    public static partial void Refreshed(ILogger logger, string address, string? issuer, string keyIds, int refreshSeconds);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "The identity provider's discovery document {Address} could not be read ({Reason}); tokens are still verified with the keys read at {CachedAt:O}, next try in {RetrySeconds} s")]
    public static partial void RefreshFailedUsingCache(ILogger logger, string address, string reason, DateTimeOffset cachedAt, int retrySeconds);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "The identity provider's discovery document {Address} could not be read ({Reason}); no keys yet, so requests with a token get 503 until it answers; next try in {RetrySeconds} s")]
    public static partial void RefreshFailedNoKeys(ILogger logger, string address, string reason, int retrySeconds);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "The identity provider's signing keys changed: {Added} added, {Removed} removed")]
    public static partial void KeysChanged(ILogger logger, string added, string removed);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "The identity provider {Address} did not answer at start-up ({Reason}); the facade starts, and requests with a token get 503 until it answers")]
    public static partial void UnreachableAtStart(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Debug, Message = "A read of the identity provider's keys was asked for (a token with an unknown key or issuer); next read {When}")]
    public static partial void RefreshRequested(ILogger logger, string when);
}
