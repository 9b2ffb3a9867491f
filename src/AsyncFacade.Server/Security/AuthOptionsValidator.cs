using System.Text.Json;
using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Server.Security;

internal sealed class AuthOptionsValidator(IOptions<AuthIssuerOptions> issuer, IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var builder = new ValidateOptionsResultBuilder()
            .Range("Auth:ClockSkewSeconds", options.ClockSkewSeconds, 0, 300)
            .Range("Auth:FileUrlLifetimeSeconds", options.FileUrlLifetimeSeconds, 60, 7 * 86_400)
            .Range("Auth:MetadataRefreshSeconds", options.MetadataRefreshSeconds, 1, 7 * 86_400)
            .Range("Auth:MetadataMinimumRefreshSeconds", options.MetadataMinimumRefreshSeconds, 1, Math.Max(1, options.MetadataRefreshSeconds))
            .AbsoluteHttpUrl("Auth:Authority", options.Authority)
            .AbsoluteHttpUrl("Auth:TokenEndpoint", options.TokenEndpoint);
        if (!string.IsNullOrEmpty(options.FileUrlSigningKey) && System.Text.Encoding.UTF8.GetByteCount(options.FileUrlSigningKey) < 32)
        {
            builder.AddError("Auth:FileUrlSigningKey must be at least 32 bytes (UTF-8) when set.");
        }
        // Discovery and keys over plain HTTP can be rewritten on the way: anyone on the path could mint accepted tokens.
        if (options.Authority?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true && !options.AllowHttpAuthority &&
            !environment.IsDevelopment())
        {
            builder.AddError($"Auth:Authority must use https outside the Development environment, got '{options.Authority}'; " +
                             "set Auth:AllowHttpAuthority=true to accept plain HTTP (a provider on loopback, tests).");
        }
        if (!options.Enabled)
        {
            return builder.Build();
        }
        var builtIn = issuer.Value.Enabled;
        // SMART App Launch 2.x, Conformance (well-known metadata): token_endpoint is REQUIRED. With an authority it is
        // taken from its discovery document at run time (checked at start-up when the authority answers).
        if (!builtIn && string.IsNullOrWhiteSpace(options.TokenEndpoint) && string.IsNullOrWhiteSpace(options.Authority))
        {
            builder.AddError("Auth:Enabled needs a token endpoint to advertise in SMART discovery: set Auth:TokenEndpoint, " +
                             "Auth:Authority (its discovery document names one) or Auth:Issuer:Enabled.");
        }
        var sources = new[] { options.Authority, options.Jwks, options.JwksFile }.Count(s => !string.IsNullOrWhiteSpace(s)) + (builtIn ? 1 : 0);
        if (sources == 0)
        {
            builder.AddError("Auth:Enabled needs signing keys: set Auth:Authority, Auth:Jwks, Auth:JwksFile or Auth:Issuer:Enabled.");
        }
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            builder.AddError("Auth:Audience must be set when Auth:Enabled (usually the facade's FHIR base URL).");
        }
        if (string.IsNullOrWhiteSpace(options.ValidIssuer) && string.IsNullOrWhiteSpace(options.Authority) && !builtIn)
        {
            builder.AddError("Auth:ValidIssuer must be set when the keys come from Auth:Jwks or Auth:JwksFile.");
        }
        if (!string.IsNullOrWhiteSpace(options.JwksFile) && !File.Exists(options.JwksFile))
        {
            builder.AddError($"Auth:JwksFile '{options.JwksFile}' does not exist.");
        }
        if (!string.IsNullOrWhiteSpace(options.Jwks) && !IsJwks(options.Jwks))
        {
            builder.AddError("Auth:Jwks must be a JWKS document: {\"keys\":[…]}.");
        }
        return builder.Build();
    }

    private static bool IsJwks(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("keys", out var keys) &&
                   keys.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
