namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>`GET {base}/.well-known/smart-configuration` (SMART App Launch §Conformance): where and how to get a token.</summary>
internal static class SampleSmartConfiguration
{
    public const string Path = "/.well-known/smart-configuration";

    public static IResult Get(HttpRequest request, Microsoft.Extensions.Options.IOptions<SampleUpstreamOptions> options) => Results.Json(new Dictionary<string, object>
    {
        ["token_endpoint"] = SampleTokenEndpoint.TokenUrl(request, options.Value.BasePath),
        ["grant_types_supported"] = new[] { "client_credentials" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt" },
        ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "RS384", "ES384" },
        ["scopes_supported"] = new[] { "system/*.read", "system/*.write", "system/*.rs", "system/*.cud" },
        ["capabilities"] = new[] { "client-confidential-symmetric", "client-confidential-asymmetric", "permission-v1", "permission-v2" },
    });
}
