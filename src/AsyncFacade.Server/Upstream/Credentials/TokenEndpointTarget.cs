namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>Where and how to ask for tokens: from configuration, completed by the upstream's SMART configuration.</summary>
/// <param name="Url">The token endpoint as given (also the `aud` of client assertions, so it is kept verbatim).</param>
/// <param name="SecretMethod">basic or post.</param>
internal sealed record TokenEndpointTarget(string Url, string SecretMethod, string Scope);
