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
            .Range($"{Key}:TokenRequestsPerMinutePerAddress", options.TokenRequestsPerMinutePerAddress, 0, 1_000_000)
            .Range($"{Key}:MaxRegistrations", options.MaxRegistrations, 1, 100_000);
        if (options.Registration != ClientRegistrationAccess.Off && AuthIssuerScopes.Split(options.RegistrationScopes).Count == 0)
        {
            builder.AddError($"{Key}:RegistrationScopes must list at least one scope when {Key}:Registration is not Off.");
        }
        foreach (var host in options.JwksAllowedHosts.Where(h => AllowedHostList.Classify(h) == AllowedHostList.EntryKind.Invalid))
        {
            builder.AddError($"{Key}:JwksAllowedHosts entry '{host}' is not a host name, \"*.domain\" or IP address.");
        }
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            builder.AddError($"{Key}:Name must not be empty: it is the iss of every token.");
        }
        if (!string.IsNullOrEmpty(options.SigningKeyFile) && AuthIssuerSigningKey.Check(options.SigningKeyFile) is { } keyError)
        {
            builder.AddError($"{Key}:SigningKeyFile {keyError}.");
        }
        if (options.Clients.Count == 0 && options.Registration == ClientRegistrationAccess.Off)
        {
            builder.AddError($"{Key}:Clients must list at least one client when {Key}:Enabled is true and {Key}:Registration is Off.");
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
