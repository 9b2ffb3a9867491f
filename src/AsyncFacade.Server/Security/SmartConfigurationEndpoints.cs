using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Security.Authority;

namespace AsyncFacade.Server.Security;

/// <summary>
/// SMART discovery (`/fhir/.well-known/smart-configuration`): where to get a token and how (Backend Services:
/// client_credentials with a private_key_jwt assertion). Only when `Auth:Enabled`: without auth there is nothing to discover.
/// </summary>
internal static class SmartConfigurationEndpoints
{
    public static readonly string[] ScopesSupported =
        ["system/*.read", "system/*.write", "system/*.*", "system/*.rs", "system/*.cud", "system/*.cruds"];

    private const string Path = "/fhir/.well-known/smart-configuration";

    public static RouteHandlerBuilder MapSmartConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapOtherMethods(Path, HttpMethods.Get);
        return app.MapGet(Path, GetAsync)
            .WithTags("Security")
            .WithSummary("SMART configuration: token endpoint, client authentication (private_key_jwt) and scopes, when auth is on")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status503ServiceUnavailable, contentType: FhirMediaTypes.Json);
    }

    /// <summary>
    /// The token endpoint clients should use: `Auth:TokenEndpoint`, else the built-in issuer's, else the authority's
    /// (<paramref name="discovered"/>, from its discovery document); null when none is known (yet).
    /// </summary>
    public static string? TokenEndpoint(AuthOptions auth, AuthIssuerOptions issuer, string facadeBase, string? discovered) =>
        !string.IsNullOrWhiteSpace(auth.TokenEndpoint) ? auth.TokenEndpoint
        : issuer.Enabled ? facadeBase[..^PublicBaseUrl.FhirPath.Length] + "/auth/token"
        : !string.IsNullOrWhiteSpace(discovered) ? discovered
        : null;

    private static async Task<IResult> GetAsync(HttpRequest request, IOptions<AuthOptions> options, IOptions<AuthIssuerOptions> issuer, PublicBaseUrl publicBase,
        AuthorityConfiguration authority, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, "Authorization is off on this server (Auth:Enabled=false).");
        }
        var facadeBase = publicBase.FhirBase(request);
        var discovered = await DiscoveredAsync(authority, cancellationToken);
        var token = TokenEndpoint(options.Value, issuer.Value, facadeBase, discovered?.TokenEndpoint);
        if (token is null)
        {
            // Never a document without a REQUIRED field: the client could not get a token from it anyway.
            return authority.Unavailable(discovered is null
                ? "The identity provider has not answered yet, so its token endpoint is not known; retry later."
                : "The identity provider's discovery document names no token_endpoint; retry later (the operator can set Auth:TokenEndpoint).");
        }
        // The authority's own answers, when it issues the tokens; the built-in issuer's otherwise.
        var fromAuthority = !issuer.Value.Enabled && discovered is not null;
        string[] methods = fromAuthority && discovered!.TokenEndpointAuthMethodsSupported.Count > 0
            ? [.. discovered.TokenEndpointAuthMethodsSupported] : ["private_key_jwt"];
        string[] algorithms = fromAuthority && discovered!.TokenEndpointAuthSigningAlgValuesSupported.Count > 0
            ? [.. discovered.TokenEndpointAuthSigningAlgValuesSupported] : ["RS384", "ES384"];
        // SMART App Launch 2.x (STU 2.2), Conformance, "FHIR Authorization Endpoint and Capabilities Discovery using a
        // Well-Known URI" / Metadata: REQUIRED are token_endpoint, grant_types_supported, capabilities and
        // code_challenge_methods_supported (S256 included, plain never). issuer is CONDITIONAL: required with the
        // sso-openid-connect capability and "otherwise, omitted", so it is left out (backend services sign no user in);
        // jwks_uri is optional then, and given when known. authorization_endpoint is only for launch-ehr/-standalone.
        var configurationDocument = new Dictionary<string, object>
        {
            ["token_endpoint"] = token,
            ["grant_types_supported"] = new[] { "client_credentials" },
            ["token_endpoint_auth_methods_supported"] = methods,
            ["token_endpoint_auth_signing_alg_values_supported"] = algorithms,
            ["scopes_supported"] = issuer.Value.Enabled ? ScopesSupported : [.. ScopesSupported, .. ContextScopes],
            ["capabilities"] = Capabilities(methods, contextScopes: !issuer.Value.Enabled),
            ["code_challenge_methods_supported"] = new[] { "S256" },
        };
        if (issuer.Value.Enabled)
        {
            configurationDocument["jwks_uri"] = facadeBase[..^PublicBaseUrl.FhirPath.Length] + AuthIssuerExtensions.JwksPath;
        }
        else if (!string.IsNullOrWhiteSpace(discovered?.JwksUri))
        {
            configurationDocument["jwks_uri"] = discovered.JwksUri;
        }
        return Results.Json(configurationDocument, contentType: "application/json");
    }

    /// <summary>The authority's discovery document (cached, read again when due); null without an authority or when it never answered.</summary>
    private static async Task<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration?> DiscoveredAsync(
        AuthorityConfiguration authority, CancellationToken cancellationToken)
    {
        if (authority.Authority is null)
        {
            return null;
        }
        try
        {
            return await authority.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// `patient/` and `user/` scopes, which the facade enforces (Security/Scopes) when an outside server issues tokens
    /// with a patient or user context; the built-in issuer grants `system/` scopes only.
    /// </summary>
    private static readonly string[] ContextScopes = ["patient/*.rs", "patient/*.read", "user/*.rs", "user/*.read"];

    /// <summary>SMART capabilities (Conformance, "Capabilities"): the client types follow the token endpoint's authentication methods.</summary>
    private static string[] Capabilities(string[] methods, bool contextScopes) =>
    [
        .. methods.Contains("private_key_jwt") ? new[] { "client-confidential-asymmetric" } : [],
        .. methods.Any(m => m is "client_secret_basic" or "client_secret_post") ? new[] { "client-confidential-symmetric" } : [],
        "permission-v1", "permission-v2",
        .. contextScopes ? new[] { "permission-patient", "permission-user" } : [],
    ];
}
