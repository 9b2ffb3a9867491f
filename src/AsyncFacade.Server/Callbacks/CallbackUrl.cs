using System.Diagnostics.CodeAnalysis;

namespace AsyncFacade.Server.Callbacks;

/// <summary>The syntax rules for a `callback-url`, shared by the kick-off check and the dispatcher (which re-checks them).</summary>
internal static class CallbackUrl
{
    // The de-facto URL limit of browsers and proxies; a longer callback URL is more likely an attack than a client.
    public const int MaxLength = 2048;

    public static bool TryParse(string? value, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? reason)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            reason = "callback-url is empty.";
            return false;
        }
        if (value.Length > MaxLength)
        {
            reason = $"callback-url is longer than {MaxLength} characters.";
            return false;
        }
        // On Unix "/path" parses as an absolute file:// URI, so a relative URL is caught by IsFile as well as by TryCreate.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            reason = "callback-url must be an absolute http or https URL.";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            reason = $"callback-url must use http or https, not '{parsed.Scheme}'.";
            return false;
        }
        // Credentials in the URL would be sent to (and logged by) whatever the host turns out to be.
        if (parsed.UserInfo.Length > 0)
        {
            reason = "callback-url must not contain user information (user:password@).";
            return false;
        }
        uri = parsed;
        reason = null;
        return true;
    }
}
