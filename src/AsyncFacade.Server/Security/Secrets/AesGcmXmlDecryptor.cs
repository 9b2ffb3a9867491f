using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Reverses <see cref="AesGcmXmlEncryptor"/>. Data Protection creates it by the type name stored in the key, through a
/// public constructor taking the service provider; so this name and namespace must never change.
/// </summary>
internal sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var kek = KeyEncryptionKey.TryParse(services.GetRequiredService<IOptions<KeyEncryptionOptions>>().Value.KeyEncryptionKey);
        var storedId = (string?)encryptedElement.Attribute(AesGcmXmlEncryptor.KekAttribute) ?? "(none)";
        if (kek is null || kek.Id != storedId)
        {
            throw new CryptographicException(PostgresXmlRepository.WrongKek(storedId, kek));
        }
        var sealedValue = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        const int header = AesGcmXmlEncryptor.NonceBytes + AesGcmXmlEncryptor.TagBytes;
        if (sealedValue.Length <= header)
        {
            throw new CryptographicException("The encrypted data protection key is truncated.");
        }
        var plaintext = new byte[sealedValue.Length - header];
        try
        {
            using var aes = new AesGcm(kek.Key, AesGcmXmlEncryptor.TagBytes);
            aes.Decrypt(sealedValue.AsSpan(0, AesGcmXmlEncryptor.NonceBytes), sealedValue.AsSpan(header),
                sealedValue.AsSpan(AesGcmXmlEncryptor.NonceBytes, AesGcmXmlEncryptor.TagBytes), plaintext, Encoding.ASCII.GetBytes(kek.Id));
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
