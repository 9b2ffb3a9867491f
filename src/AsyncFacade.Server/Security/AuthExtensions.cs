using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security;

internal static class AuthExtensions
{
    /// <summary>
    /// Signing algorithms accepted on access tokens: the asymmetric ones SMART servers use, and HS256 for test set-ups
    /// with an `oct` key. `none` is never accepted (signed tokens are required).
    /// </summary>
    private static readonly string[] Algorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha256,
         SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384,
         SecurityAlgorithms.HmacSha256];

    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AuthOptions, AuthOptionsValidator>().BindConfiguration(AuthOptions.Section);
        services.AddSingleton<FhirAccess>();
        services.AddSingleton<Scopes.ScopeEnforcement>();
        services.AddSingleton<FileUrlSigner>();
        services.AddSingleton<Metadata.ICapabilityContributor, AuthCapabilities>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, AuthIssuerKeys>((jwt, auth, builtIn) =>
        {
            var options = auth.Value;
            jwt.MapInboundClaims = false; // keep `scope`, `client_id`, `sub` as SMART names them
            if (!string.IsNullOrWhiteSpace(options.Authority))
            {
                jwt.Authority = options.Authority;
                jwt.RequireHttpsMetadata = options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            }
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                // The built-in issuer (Auth:Issuer) is trusted too when it runs: it has keys only then.
                ValidIssuers = [.. new[] { options.ValidIssuer, builtIn.SigningKeys.Count > 0 ? builtIn.Issuer : null }.OfType<string>()
                    .Where(i => !string.IsNullOrWhiteSpace(i))],
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds),
                ValidAlgorithms = Algorithms,
                IssuerSigningKeys = [.. Keys(options), .. builtIn.SigningKeys],
            };
        });
        return services;
    }

    /// <summary>Authenticates bearer tokens and applies <see cref="FhirAccess"/> to every `/fhir` request, when `Auth:Enabled`.</summary>
    public static WebApplication UseFhirAuth(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<FhirAccess>();
        if (!access.Enabled)
        {
            return app;
        }
        app.UseAuthentication();
        app.Use(async (httpContext, next) =>
        {
            if (await access.CheckAsync(httpContext) is { } refused)
            {
                await refused.ExecuteAsync(httpContext);
                return;
            }
            await next(httpContext);
        });
        return app;
    }

    private static IList<SecurityKey> Keys(AuthOptions options)
    {
        var json = !string.IsNullOrWhiteSpace(options.Jwks) ? options.Jwks
            : !string.IsNullOrWhiteSpace(options.JwksFile) && File.Exists(options.JwksFile) ? File.ReadAllText(options.JwksFile)
            : null;
        if (json is null)
        {
            return [];
        }
        var set = new JsonWebKeySet(json);
        // GetSigningKeys leaves `oct` keys out; they are for HS256 test set-ups only, taken as they are.
        return [.. set.GetSigningKeys(), .. set.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.Octet && !string.IsNullOrEmpty(k.K))
            .Select(k => new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(k.K)) { KeyId = k.Kid })];
    }
}
