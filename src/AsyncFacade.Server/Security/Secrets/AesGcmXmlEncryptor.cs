using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Encrypts the secret part of each data protection key (its `masterKey`) with AES-256-GCM under the configured KEK
/// before the key is stored. Each key gets its own random nonce: a key ring holds a handful of keys, far from the
/// 2^32 messages a random 96-bit nonce allows under one key.
/// </summary>
internal sealed class AesGcmXmlEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public static readonly XName ElementName = "encryptedKey";
    public static readonly XName KekAttribute = "kek";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedValue = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = sealedValue.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        try
        {
            using var aes = new AesGcm(kek.Key, TagBytes);
            // The KEK id is authenticated too: an element cannot be relabelled as another KEK's.
            aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(NonceBytes + TagBytes), sealedValue.AsSpan(NonceBytes, TagBytes), Encoding.ASCII.GetBytes(kek.Id));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        var element = new XElement(ElementName,
            new XAttribute(KekAttribute, kek.Id),
            new XComment($" AES-256-GCM under {KeyEncryptionOptions.Key}: nonce, tag, ciphertext "),
            new XElement("value", Convert.ToBase64String(sealedValue)));
        // The decryptor's type name is written into every stored key: renaming or moving that class orphans the key ring.
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}
