namespace AsyncFacade.Server.Security.Secrets;

// Lines name a secret or a key id, never a value. Event ids 8201–8249: shared secrets and data protection.
internal static partial class SecretsLog
{
    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Generated shared secret {Name} and stored it in {Table}")]
    public static partial void SecretCreated(ILogger logger, string name, string table);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Information, Message = "Using shared secret {Name} from {Table}")]
    public static partial void SecretRead(ILogger logger, string name, string table);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Warning,
        Message = "DataProtection:KeyEncryptionKey is not set: data protection keys are stored unencrypted in {Table}, so anyone who can read " +
                  "the database can read the shared secrets too. Set it (base64 of 32 random bytes, the same on every node)")]
    public static partial void KeyRingUnencrypted(ILogger logger, string table);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Information, Message = "Issuer signing key {KeyId} is shared through PostgreSQL by every node on the database")]
    public static partial void IssuerKeyShared(ILogger logger, string keyId);
}
