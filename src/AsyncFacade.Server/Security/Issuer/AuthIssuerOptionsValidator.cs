using System.Security.Cryptography;
using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>Checked only when the issuer is enabled: a disabled section never stops the server.</summary>
internal sealed class AuthIssuerOptionsValidator : IValidateOptions<AuthIssuerOptions>
{
    private const string Key = AuthIssuerOptions.Section;

    public ValidateOptionsResult Validate(string? name, AuthIssuerOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (!options.Enabled)
        {
            return builder.Build();
        }
        builder.Range($"{Key}:TokenLifetimeSeconds", options.TokenLifetimeSeconds, 1, AuthIssuerOptions.MaxTokenLifetimeSeconds)
            .Range($"{Key}:TokenRequestsPerMinutePerClient", options.TokenRequestsPerMinutePerClient, 0, 1_000_000)
            .Range($"{Key}:TokenRequestsPerMinutePerAddress", options.TokenRequestsPerMinutePerAddress, 0, 1_000_000);
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            builder.AddError($"{Key}:Name must not be empty: it is the iss of every token.");
        }
        if (!string.IsNullOrEmpty(options.SigningKeyFile) && AuthIssuerSigningKey.Check(options.SigningKeyFile) is { } keyError)
        {
            builder.AddError($"{Key}:SigningKeyFile {keyError}.");
        }
        if (options.Clients.Count == 0)
        {
            builder.AddError($"{Key}:Clients must list at least one client when {Key}:Enabled is true.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            ValidateClient(builder, $"{Key}:Clients:{i}", options.Clients[i], seen);
        }
        return builder.Build();
    }

    private static void ValidateClient(ValidateOptionsResultBuilder builder, string key, AuthIssuerClient client, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId))
        {
            builder.AddError($"{key}:ClientId must not be empty.");
        }
        else if (!seen.Add(client.ClientId))
        {
            builder.AddError($"{key}:ClientId '{client.ClientId}' is registered twice.");
        }
        if (string.IsNullOrWhiteSpace(client.Scopes))
        {
            builder.AddError($"{key}:Scopes must list at least one scope.");
        }
        var (source, error) = AuthIssuerClients.ReadJwks(client);
        if (error is not null)
        {
            builder.AddError($"{key}:{source} {error}.");
        }
    }
}
