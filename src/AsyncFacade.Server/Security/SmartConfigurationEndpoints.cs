using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

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
        return app.MapGet(Path, Get)
            .WithTags("Security")
            .WithSummary("SMART configuration: token endpoint, client authentication (private_key_jwt) and scopes, when auth is on")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);
    }

    /// <summary>The token endpoint clients should use: configured, or the built-in issuer's; null when neither is known.</summary>
    public static string? TokenEndpoint(AuthOptions auth, AuthIssuerOptions issuer, string facadeBase) =>
        !string.IsNullOrWhiteSpace(auth.TokenEndpoint) ? auth.TokenEndpoint
        : issuer.Enabled ? facadeBase[..^PublicBaseUrl.FhirPath.Length] + "/auth/token"
        : null;

    private static IResult Get(HttpRequest request, IOptions<AuthOptions> options, IOptions<AuthIssuerOptions> issuer, PublicBaseUrl publicBase)
    {
        if (!options.Value.Enabled)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, "Authorization is off on this server (Auth:Enabled=false).");
        }
        var facadeBase = publicBase.FhirBase(request);
        var configurationDocument = new Dictionary<string, object>
        {
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
            ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "RS384", "ES384" },
            ["grant_types_supported"] = new[] { "client_credentials" },
            ["scopes_supported"] = ScopesSupported,
            ["capabilities"] = new[] { "client-confidential-asymmetric", "permission-v1", "permission-v2" },
        };
        if (TokenEndpoint(options.Value, issuer.Value, facadeBase) is { } token)
        {
            configurationDocument["token_endpoint"] = token;
        }
        if (issuer.Value.Enabled)
        {
            configurationDocument["jwks_uri"] = facadeBase[..^PublicBaseUrl.FhirPath.Length] + "/.well-known/jwks.json";
        }
        return Results.Json(configurationDocument, contentType: "application/json");
    }
}
