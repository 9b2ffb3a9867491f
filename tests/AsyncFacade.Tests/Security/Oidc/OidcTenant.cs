namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>One isolated tenant of the test OpenID provider: its issuer, signing keys, clients and outages.</summary>
public sealed class OidcTenant(string name, string issuer, string tokenEndpoint, string firstKeyId) : IAsyncDisposable
{
    public string Name => name;

    /// <summary>The issuer, which is also the authority the facade discovers (`{issuer}/.well-known/openid-configuration`).</summary>
    public string Issuer => issuer;

    public string TokenEndpoint => tokenEndpoint;

    /// <summary>The signing key the tenant started with.</summary>
    public string FirstKeyId => firstKeyId;

    /// <summary>A client authenticating with private_key_jwt (RS384, a key made here); <paramref name="claims"/> go into its access tokens.</summary>
    public async Task<OidcClient> RegisterClientAsync(CancellationToken cancellationToken, IDictionary<string, object>? claims = null, string? scope = null)
    {
        var key = AuthIssuerClientKey.Rsa();
        var clientId = "client-" + Guid.NewGuid().ToString("N")[..12];
        await SendAsync(HttpMethod.Post, "clients", new
        {
            client_id = clientId,
            jwks = new { keys = new[] { key.PublicJwk } },
            claims,
            scope,
        }, cancellationToken);
        return new OidcClient(this, clientId, key);
    }

    /// <summary>Adds a new signing key and makes it current (the old one stays in the JWKS); returns its kid.</summary>
    public async Task<string> RotateKeyAsync(CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "keys", null, cancellationToken)).GetProperty("kid").GetString()!;

    /// <summary>Takes a key out of the JWKS: tokens it signed must stop verifying once the facade reads the JWKS again.</summary>
    public Task RemoveKeyAsync(string kid, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "keys/" + Uri.EscapeDataString(kid), null, cancellationToken);

    /// <summary>
    /// An outage of discovery, JWKS and token endpoint: 503s, or with <paramref name="resetConnections"/> connections
    /// closed without an answer. <paramref name="down"/> false ends it.
    /// </summary>
    public Task SetOutageAsync(bool down, CancellationToken cancellationToken, bool resetConnections = false) =>
        SendAsync(HttpMethod.Put, "outage", new { down, mode = resetConnections ? "reset" : "status" }, cancellationToken);

    /// <summary>Serves the discovery document without these fields (a non-conformant provider).</summary>
    public Task OmitFromDiscoveryAsync(CancellationToken cancellationToken, params string[] fields) =>
        SendAsync(HttpMethod.Put, "discovery", new { omit = fields }, cancellationToken);

    /// <summary>The `Auth:*` settings of a facade that trusts this tenant; metadata read again every <paramref name="refreshSeconds"/>.</summary>
    public Dictionary<string, string?> FacadeSettings(string audience, int refreshSeconds = 3600) => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:Authority"] = Issuer,
        ["Auth:AllowHttpAuthority"] = "true",
        ["Auth:Audience"] = audience,
        ["Auth:MetadataRefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:MetadataMinimumRefreshSeconds"] = "1",
    };

    public async ValueTask DisposeAsync() =>
        await OidcProvider.SendAsync(HttpMethod.Delete, $"admin/tenants/{name}", null, CancellationToken.None);

    private Task<System.Text.Json.JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        OidcProvider.SendAsync(method, $"admin/tenants/{name}/{path}", body, cancellationToken);
}
