using AsyncFacade.Server.Health;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Security.Authority;

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
        services.TryAddSingleton<Secrets.ISharedSecrets, Secrets.ProcessSecrets>(); // per process; AddSecrets shares it through PostgreSQL
        services.AddSingleton<Metadata.ICapabilityContributor, AuthCapabilities>();
        services.AddAuthority();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, AuthIssuerKeys, AuthorityConfiguration>((jwt, auth, builtIn, authority) =>
        {
            var options = auth.Value;
            jwt.MapInboundClaims = false; // keep `scope`, `client_id`, `sub` as SMART names them
            if (authority.Authority is not null)
            {
                // Discovery, key rotation and outages are handled by AuthorityConfiguration (Auth:Metadata*Seconds).
                jwt.ConfigurationManager = authority;
                jwt.RefreshOnIssuerKeyNotFound = true;
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

    /// <summary>
    /// `Auth:Authority`: its discovery document and keys (<see cref="AuthorityConfiguration"/>), read once at start-up
    /// (<see cref="AuthorityStartupCheck"/>) and watched by the `identity-provider` readiness check.
    /// </summary>
    private static void AddAuthority(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuthorityConfiguration>();
        services.AddHostedService<AuthorityStartupCheck>();
        services.AddHttpClient(AuthorityDocuments.ClientName, c =>
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                c.MaxResponseContentBufferSize = AuthorityDocuments.MaxDocumentBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // discovery names its own URLs; a redirect is a misconfiguration or an attack
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        // Registered only with an authority, so readiness lists no check for a provider that is not used.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<AuthOptions>>((health, auth) =>
        {
            if (auth.Value.Enabled && !string.IsNullOrWhiteSpace(auth.Value.Authority))
            {
                health.Registrations.Add(new HealthCheckRegistration(IdentityProviderHealthCheck.Name,
                    sp => ActivatorUtilities.CreateInstance<IdentityProviderHealthCheck>(sp), HealthStatus.Degraded, [HealthEndpoints.ReadyTag],
                    IdentityProviderHealthCheck.Timeout + TimeSpan.FromSeconds(2)));
            }
        });
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
