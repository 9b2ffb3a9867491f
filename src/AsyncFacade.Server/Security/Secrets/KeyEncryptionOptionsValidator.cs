using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Security.Secrets;

internal sealed class KeyEncryptionOptionsValidator : IValidateOptions<KeyEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options) =>
        string.IsNullOrEmpty(options.KeyEncryptionKey) || KeyEncryptionKey.TryParse(options.KeyEncryptionKey) is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{KeyEncryptionOptions.Key} must be base64 of at least {KeyEncryptionOptions.MinBytes} random bytes (e.g. openssl rand -base64 32).");
}
