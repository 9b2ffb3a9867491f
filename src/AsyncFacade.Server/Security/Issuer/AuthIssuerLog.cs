namespace AsyncFacade.Server.Security.Issuer;

// Lines name the client id, scopes and the reason for a refusal; never the assertion, the access token or key material.
// Event ids 75xx: the issuer's range inside Security (7xxx).
internal static partial class AuthIssuerLog
{
    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, Message = "Auth:Issuer:SigningKeyFile is not set: generated signing key {KeyId} for this process only; tokens will not verify on other nodes or after a restart")]
    public static partial void KeyGenerated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Loaded issuer signing key {KeyId} from Auth:Issuer:SigningKeyFile")]
    public static partial void KeyLoaded(ILogger logger, string keyId);

    // 7503 (token issued) and 7504 (token request refused) moved to SecurityAudit (8005, 8006): they are audit events.

    [LoggerMessage(EventId = 7505, Level = LogLevel.Warning, Message = "The client assertion replay cache is full ({Capacity} unexpired jti values); token requests are refused until entries expire")]
    public static partial void ReplayCacheFull(ILogger logger, int capacity);
}
