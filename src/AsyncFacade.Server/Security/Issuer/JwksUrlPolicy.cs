namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The SSRF rule for a registered JWKS URL, checked when the client registers; <see cref="ClientJwksFetcher"/>'s
/// <see cref="GuardedConnector"/> checks the resolved addresses again on every connect (DNS rebinding).
/// https to a public address, unless the host is on Auth:Issuer:JwksAllowedHosts: then http and private addresses too
/// (a developer's JWKS server on localhost), like Callbacks:AllowedHosts.
/// </summary>
internal sealed class JwksUrlPolicy([FromKeyedServices(AuthIssuerOptions.Section)] AllowedHostList allowedHosts)
{
    /// <summary>Longer URLs are not JWKS locations; the limit keeps the stored row and the log lines small.</summary>
    public const int MaxUrlLength = 2048;

    /// <returns>The URL, or null with the reason (read after "jwksUrl ").</returns>
    public async Task<(Uri? Url, string? Problem)> CheckAsync(string text, CancellationToken cancellationToken)
    {
        if (text.Length > MaxUrlLength)
        {
            return (null, $"is longer than {MaxUrlLength} characters.");
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return (null, "must be an absolute https URL.");
        }
        if (uri.UserInfo.Length > 0)
        {
            return (null, "must not contain user information (user:password@).");
        }
        var host = PublicHost.ListedNameOf(uri);
        var match = allowedHosts.Match(host);
        if (match == AllowedHostList.HostMatch.Exact)
        {
            return (uri, null);
        }
        if (uri.Scheme != "https")
        {
            return (null, $"must use https (host '{host}' is not on this server's {AuthIssuerOptions.Section}:JwksAllowedHosts, which may allow http).");
        }
        // Not listed, or listed by a wildcard (the operator vouched for the domain, not for what its DNS answers): public only.
        return await PublicHost.CheckAsync(uri, cancellationToken) is { } problem
            ? (null, $"is refused: {problem[..^1]}; only public hosts may be named unless the operator lists the host in {AuthIssuerOptions.Section}:JwksAllowedHosts.")
            : (uri, null);
    }
}
