using System.Security.Cryptography;
using AsyncFacade.Server.Security.Secrets;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The issuer's RSA private key: from a PEM file (shared by every node), else a shared secret: generated once and kept
/// in PostgreSQL when it is configured, generated for this process in the embedded default.
/// </summary>
internal static class AuthIssuerSigningKey
{
    public const string SecretName = "issuer-signing-key";

    private const int MinBits = 2048;

    public static RSA Load(string pemFile)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pemFile));
        return rsa;
    }

    /// <summary>The key as PKCS#8 in <see cref="ISharedSecrets"/>: the first node generates it, every later start reads it.</summary>
    public static RSA Shared(ISharedSecrets secrets)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(secrets.GetOrCreate(SecretName, () =>
        {
            using var generated = RSA.Create(MinBits);
            return generated.ExportPkcs8PrivateKey();
        }), out _);
        return rsa;
    }

    /// <summary>Why the file cannot serve as the signing key, or null. Never quotes the file's content.</summary>
    public static string? Check(string pemFile)
    {
        try
        {
            using var rsa = Load(pemFile);
            // ExportParameters(true) fails on a public-only key: a token cannot be signed with one.
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return rsa.KeySize < MinBits ? $"holds an RSA key of {rsa.KeySize} bits; at least {MinBits} are required" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"cannot be read: {e.Message}";
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return "must hold a PEM RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)";
        }
    }
}
