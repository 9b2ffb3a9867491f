namespace AsyncFacade.Server.Security;

// Lines name the client id, scopes and the reason for a refusal; never the assertion, the access token or key material.
// Event ids 75xx: the issuer's range inside Security (7xxx).
internal static partial class AuthIssuerLog
{
    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, Message = "Auth:Issuer:SigningKeyFile is not set: generated signing key {KeyId} for this process only; tokens will not verify on other nodes or after a restart")]
    public static partial void KeyGenerated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Loaded issuer signing key {KeyId} from Auth:Issuer:SigningKeyFile")]
    public static partial void KeyLoaded(ILogger logger, string keyId);

    [LoggerMessage(EventId = 7503, Level = LogLevel.Information, Message = "Issued an access token to client {ClientId} for scope '{Scope}', valid {LifetimeSeconds} s")]
    public static partial void Issued(ILogger logger, string clientId, string scope, int lifetimeSeconds);

    // Information, not Warning: a refused request is the client's mistake (or an attack), not a fault of this server.
    [LoggerMessage(EventId = 7504, Level = LogLevel.Information, Message = "Token request refused ({Error}) for client {ClientId}: {Reason}")]
    public static partial void Refused(ILogger logger, string error, string clientId, string reason);

    [LoggerMessage(EventId = 7505, Level = LogLevel.Warning, Message = "The client assertion replay cache is full ({Capacity} unexpired jti values); token requests are refused until entries expire")]
    public static partial void ReplayCacheFull(ILogger logger, int capacity);
}
