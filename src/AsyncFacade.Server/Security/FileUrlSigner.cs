using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AsyncFacade.Server.Security.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security;

/// <summary>
/// `Auth:SignedFileUrls`: manifests list short-lived signed file URLs (`?expires=…&amp;signature=…`, an HMAC-SHA256 of the
/// path and the expiry), so clients download without a token (`requiresAccessToken: false`), as the Bulk Data IG
/// allows. Anyone holding such a URL can download the file until it expires; that is the point of it.
/// </summary>
public sealed class FileUrlSigner
{
    /// <summary>Set on a request whose signed URL checked out: the file may be served without the owner's token.</summary>
    public const string SignedRequest = "asyncfacade.signed-file-url";

    /// <summary>The key's name in <see cref="ISharedSecrets"/> when Auth:FileUrlSigningKey is not set.</summary>
    public const string SecretName = "file-url-signing-key";

    private readonly byte[]? key;
    private readonly TimeSpan lifetime;
    private readonly TimeProvider time;

    public FileUrlSigner(IOptions<AuthOptions> options, ISharedSecrets secrets, TimeProvider time)
    {
        var auth = options.Value;
        this.time = time;
        lifetime = TimeSpan.FromSeconds(auth.FileUrlLifetimeSeconds);
        if (auth.Enabled && auth.SignedFileUrls)
        {
            // Without a configured key: one shared through PostgreSQL when it is configured, so a link made on one node
            // downloads from any other (and after a restart); in the embedded default, one for this process.
            key = string.IsNullOrEmpty(auth.FileUrlSigningKey)
                ? secrets.GetOrCreate(SecretName, () => RandomNumberGenerator.GetBytes(32))
                : Encoding.UTF8.GetBytes(auth.FileUrlSigningKey);
        }
    }

    public bool Enabled => key is not null;

    /// <summary>The URL as a manifest lists it: signed when signing is on, else as it is.</summary>
    public string Sign(string fileUrl)
    {
        if (key is null)
        {
            return fileUrl;
        }
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{fileUrl}?expires={expires}&signature={Signature(new Uri(fileUrl).AbsolutePath, expires)}";
    }

    /// <summary>True when the request carries a valid, unexpired signature for its own path.</summary>
    public bool IsValid(HttpRequest request)
    {
        if (key is null || !long.TryParse(request.Query["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
            request.Query["signature"].ToString() is not { Length: > 0 } signature || expires < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(request.Path.Value ?? "", expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string path, long expires) =>
        Base64UrlEncoder.Encode(HMACSHA256.HashData(key!, Encoding.UTF8.GetBytes(path + "\n" + expires.ToString(CultureInfo.InvariantCulture))));
}
