using System.Text;

namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>
/// Hides what could let a reader act as someone else before a stored request is shown to an operator: credential
/// headers (Authorization, cookies, API keys), query parameters that look like tokens, keys, signatures or passwords
/// (SAS `sig`, `X-Amz-Signature`, `access_token`…), and a URL's user info. Names are matched, values never parsed:
/// what looks like a secret is hidden even when it is not one, and FHIR search parameters are left as they are.
/// </summary>
public static class SecretRedaction
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "sig", "signature", "key", "apikey", "api_key", "api-key",
        "x-api-key", "auth", "pwd", "pass", "code_verifier", "client_assertion", "assertion", "jwt",
    };

    // A name containing one of these is taken for a credential: access_token, X-Amz-Credential, client_secret, X-Goog-Signature…
    private static readonly string[] SecretParts = ["token", "secret", "password", "passwd", "credential", "signature", "apikey", "api-key", "api_key", "session"];

    public static bool LooksSecret(string name) =>
        SecretNames.Contains(name) || SecretParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, string> Headers(IReadOnlyDictionary<string, string> headers) =>
        headers.ToDictionary(h => h.Key, h => LooksSecret(h.Key) ? Redacted : h.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>An absolute or relative URL with its user info and secret-looking query values replaced.</summary>
    public static string Url(string url)
    {
        var queryStart = url.IndexOf('?');
        var beforeQuery = queryStart < 0 ? url : url[..queryStart];
        var result = new StringBuilder(WithoutUserInfo(beforeQuery));
        if (queryStart < 0)
        {
            return result.ToString();
        }
        var query = url[(queryStart + 1)..];
        var fragment = "";
        if (query.IndexOf('#') is var hash and >= 0)
        {
            (query, fragment) = (query[..hash], query[hash..]);
        }
        result.Append('?');
        var first = true;
        foreach (var pair in query.Split('&'))
        {
            result.Append(first ? "" : "&");
            first = false;
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            result.Append(equals >= 0 && LooksSecret(name) ? pair[..(equals + 1)] + Redacted : pair);
        }
        return result.Append(fragment).ToString();
    }

    private static string WithoutUserInfo(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }
        var authorityStart = scheme + 3;
        var authorityEnd = url.IndexOf('/', authorityStart) is var slash and >= 0 ? slash : url.Length;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        return at < 0 ? url : url[..authorityStart] + Redacted + "@" + url[(at + 1)..];
    }
}
