using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The registered clients by id: configured ones first (their keys parsed once at start; the options validator has
/// checked them), then run-time registrations from the store (keys parsed, or fetched from their JWKS URL, per request).
/// </summary>
internal sealed class AuthIssuerClients(IOptions<AuthIssuerOptions> options, IClientRegistrationStore store, ClientJwksFetcher jwksFetcher)
{
    private readonly Dictionary<string, AuthIssuerRegistration> clients = options.Value.Enabled
        ? options.Value.Clients.ToDictionary(c => c.ClientId, Register, StringComparer.Ordinal)
        : [];

    public AuthIssuerRegistration? FindConfigured(string? clientId) =>
        clientId is not null && clients.TryGetValue(clientId, out var client) ? client : null;

    /// <summary>Whether the id names a client, without touching its keys (the rate limiter's partition).</summary>
    public async Task<bool> IsRegisteredAsync(string? clientId, CancellationToken cancellationToken) =>
        FindConfigured(clientId) is not null
        || (!string.IsNullOrEmpty(clientId) && options.Value.Registration != ClientRegistrationAccess.Off
            && await store.FindAsync(clientId, cancellationToken) is not null);

    /// <param name="kid">The assertion's key id: a JWKS URL client's keys are fetched again when none carries it.</param>
    /// <returns>The client (null: not registered), or why its keys cannot be had (its JWKS URL is down).</returns>
    public async Task<(AuthIssuerRegistration? Client, string? Problem)> FindAsync(string? clientId, string? kid, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return (null, null);
        }
        if (FindConfigured(clientId) is { } configured)
        {
            return (configured, null);
        }
        if (!options.Value.Enabled || options.Value.Registration == ClientRegistrationAccess.Off
            || await store.FindAsync(clientId, cancellationToken) is not { } registered)
        {
            return (null, null);
        }
        IReadOnlyList<SecurityKey>? keys;
        if (registered.JwksUrl is { } url)
        {
            (keys, var problem) = await jwksFetcher.GetAsync(url, kid, cancellationToken);
            if (keys is null)
            {
                return (null, $"The client's JWKS URL {problem}");
            }
        }
        else
        {
            // Checked when registered; parsing again per request keeps no key objects for clients that never ask.
            keys = ClientAssertionKeys.Parse(registered.Jwks ?? "", out var error)
                ?? throw new InvalidOperationException($"The stored JWKS of client {clientId} {error}.");
        }
        return (new AuthIssuerRegistration(registered.ClientId, keys, registered.Scopes, registered.TokenLifetimeSeconds, registered.JwksUrl), null);
    }

    /// <summary>The client's JWKS, from whichever one source it has; the source's key name is for error messages.</summary>
    public static (string Source, string? Error) ReadJwks(AuthIssuerClient client) => ReadJwks(client, out _);

    private static (string Source, string? Error) ReadJwks(AuthIssuerClient client, out IReadOnlyList<SecurityKey>? keys)
    {
        keys = null;
        var inline = !string.IsNullOrWhiteSpace(client.Jwks);
        var file = !string.IsNullOrWhiteSpace(client.JwksFile);
        if (inline == file)
        {
            return ("Jwks", "or JwksFile: exactly one must be set");
        }
        string json;
        if (inline)
        {
            json = client.Jwks!;
        }
        else
        {
            try
            {
                json = File.ReadAllText(client.JwksFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return ("JwksFile", $"cannot be read: {e.Message}");
            }
        }
        keys = ClientAssertionKeys.Parse(json, out var error);
        return (inline ? "Jwks" : "JwksFile", error);
    }

    private static AuthIssuerRegistration Register(AuthIssuerClient client)
    {
        var (source, error) = ReadJwks(client, out var keys);
        if (keys is null)
        {
            // Only reachable if a JWKS file changed between validation and this read.
            throw new OptionsValidationException(AuthIssuerOptions.Section, typeof(AuthIssuerOptions), [$"{source} of client '{client.ClientId}' {error}."]);
        }
        return new AuthIssuerRegistration(client.ClientId, keys, AuthIssuerScopes.Split(client.Scopes));
    }
}
