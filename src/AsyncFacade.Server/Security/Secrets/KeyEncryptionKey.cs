using System.Security.Cryptography;
using System.Text;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// The AES-256 key derived from `DataProtection:KeyEncryptionKey`, and a short public id of it. The id is stored beside
/// every key it encrypts, so a node configured with another KEK is told so plainly instead of failing to decrypt.
/// </summary>
internal sealed class KeyEncryptionKey
{
    private static readonly byte[] KeyInfo = Encoding.ASCII.GetBytes("AsyncFacade data protection key-encryption key v1");
    private static readonly byte[] IdInfo = Encoding.ASCII.GetBytes("AsyncFacade data protection key-encryption key id v1");

    private KeyEncryptionKey(byte[] secret)
    {
        // HKDF: any secret of 32 bytes or more gives one AES-256 key, and an id that reveals nothing about it.
        Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: KeyInfo);
        Id = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 6, info: IdInfo));
    }

    public byte[] Key { get; }

    /// <summary>12 hex digits, e.g. `3fa9c0d1e2b4`.</summary>
    public string Id { get; }

    /// <summary>The KEK when the value is base64 of at least 32 bytes; else null.</summary>
    public static KeyEncryptionKey? TryParse(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var length) && length >= KeyEncryptionOptions.MinBytes
            ? new KeyEncryptionKey(buffer[..length])
            : null;
    }
}
