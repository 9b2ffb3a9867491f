namespace AsyncFacade.Server.Security.Issuer;

// Run-time client registrations. Lines name client ids, hosts and reasons; never key material. Event ids 11001-11030.
internal static partial class ClientRegistrationLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Information, Message = "Registered client {ClientId} ({KeySource}) with scopes {Scopes}, token lifetime {LifetimeSeconds} s")]
    public static partial void Registered(ILogger logger, string clientId, string keySource, string scopes, int lifetimeSeconds);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Information, Message = "Deleted registered client {ClientId}")]
    public static partial void Deleted(ILogger logger, string clientId);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Information, Message = "Client registration refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(EventId = 11004, Level = LogLevel.Warning, Message = "Client registration refused: the store holds {Capacity} registrations (Auth:Issuer:MaxRegistrations)")]
    public static partial void StoreFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 11005, Level = LogLevel.Warning, Message = "Client registration from {RemoteAddress} refused: Auth:Issuer:Registration is Local")]
    public static partial void RemoteRefused(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 11006, Level = LogLevel.Warning, Message = "Fetching a client's JWKS from host {Host} failed: {Problem}")]
    public static partial void JwksFetchFailed(ILogger logger, string host, string problem);
}
