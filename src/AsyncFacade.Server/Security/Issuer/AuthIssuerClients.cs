using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The registered clients by id, their keys parsed once at start (the options validator has checked them).</summary>
internal sealed class AuthIssuerClients(IOptions<AuthIssuerOptions> options)
{
    private readonly Dictionary<string, AuthIssuerRegistration> clients = options.Value.Enabled
        ? options.Value.Clients.ToDictionary(c => c.ClientId, Register, StringComparer.Ordinal)
        : [];

    public AuthIssuerRegistration? Find(string? clientId) =>
        clientId is not null && clients.TryGetValue(clientId, out var client) ? client : null;

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
