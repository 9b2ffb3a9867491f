namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// `DataProtection`: the key-encryption key (KEK) that encrypts ASP.NET Core Data Protection keys at rest in PostgreSQL.
/// Every node on one database needs the same value. Kept out of the database on purpose: a copy of the database alone
/// (a backup, a read replica) then reveals neither the data protection keys nor the secrets they protect.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "DataProtection";

    public const string Key = Section + ":KeyEncryptionKey";

    /// <summary>AES-256-GCM needs 32 bytes; a longer secret is condensed to 32 with HKDF.</summary>
    public const int MinBytes = 32;

    /// <summary>Base64 of at least 32 random bytes (`openssl rand -base64 32`). Empty: keys are stored unencrypted, with a warning.</summary>
    public string? KeyEncryptionKey { get; set; }
}
