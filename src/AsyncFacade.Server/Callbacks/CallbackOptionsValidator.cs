using System.Text;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Callbacks;

internal sealed class CallbackOptionsValidator : IValidateOptions<CallbackOptions>
{
    // RFC 2104 advises a key at least as long as the hash output; 16 bytes is the floor below which a key is guessable.
    public const int MinSigningKeyBytes = 16;

    public ValidateOptionsResult Validate(string? name, CallbackOptions options)
    {
        var builder = new ValidateOptionsResultBuilder()
            .Range("Callbacks:TimeoutSeconds", options.TimeoutSeconds, 1, 120);

        for (var i = 0; i < options.AllowedHosts.Length; i++)
        {
            if (AllowedHostList.Classify(options.AllowedHosts[i]) == AllowedHostList.EntryKind.Invalid)
            {
                builder.AddError($"Callbacks:AllowedHosts:{i} must be a host name, an IP address or a '*.domain' wildcard " +
                    $"(ASCII, punycode for international names; no scheme, port or path), got '{options.AllowedHosts[i]}'.");
            }
        }

        // Empty means "not set" (an empty Callbacks__SigningKey variable); the key itself never appears in a message.
        if (!string.IsNullOrEmpty(options.SigningKey) && Encoding.UTF8.GetByteCount(options.SigningKey.Trim()) < MinSigningKeyBytes)
        {
            builder.AddError($"Callbacks:SigningKey must be at least {MinSigningKeyBytes} bytes (UTF-8) when set, " +
                $"got {Encoding.UTF8.GetByteCount(options.SigningKey.Trim())}.");
        }
        return builder.Build();
    }
}
