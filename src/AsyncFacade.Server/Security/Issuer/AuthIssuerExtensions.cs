using AsyncFacade.Server.Security.Secrets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The built-in SMART Backend Services authorization server: `Auth:Issuer` options, keys, token endpoint, JWKS.</summary>
public static class AuthIssuerExtensions
{
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>Options (validated at start when enabled) and the <see cref="AuthIssuerKeys"/> singleton, registered even when disabled.</summary>
    public static IServiceCollection AddAuthIssuer(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AuthIssuerOptions, AuthIssuerOptionsValidator>()
            .BindConfiguration(AuthIssuerOptions.Section)
            // Auth:Audience is shared with the resource server, so it lives outside this section.
            .Configure<IConfiguration>((o, configuration) => o.Audience = configuration[AuthIssuerOptions.AudienceKey]);
        services.TryAddSingleton(TimeProvider.System);
        // The embedded default's key source and jti cache (per process); AddSecrets puts PostgreSQL's in their place when configured.
        services.TryAddSingleton<ISharedSecrets, ProcessSecrets>();
        services.TryAddSingleton<IClientAssertionReplayCache, ClientAssertionReplayCache>();
        // A factory, because the constructor is internal: the resource server reads the keys, it does not make them.
        services.AddSingleton(sp => new AuthIssuerKeys(
            sp.GetRequiredService<IOptions<AuthIssuerOptions>>(), sp.GetRequiredService<ISharedSecrets>(), sp.GetRequiredService<ILogger<AuthIssuerKeys>>()));
        services.AddSingleton<AuthIssuerClients>();
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<TokenRequestLimiter>();
        return services;
    }

    /// <summary>`POST /auth/token` and `GET /.well-known/jwks.json`, only when Auth:Issuer:Enabled.</summary>
    public static IEndpointRouteBuilder MapAuthIssuer(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<AuthIssuerOptions>>().Value.Enabled)
        {
            return app;
        }
        // Made now, not at the first token request: the key is generated (or its file read) and logged at start.
        _ = app.ServiceProvider.GetRequiredService<AuthIssuerKeys>();
        // Not FHIR API: left out of the OpenAPI document, like the health endpoints.
        var auth = app.MapGroup("").ExcludeFromDescription();
        auth.MapPost(TokenEndpoint.Path, (HttpRequest request, TokenEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.IssueAsync(request, cancellationToken));
        auth.MapGet(JwksPath, (AuthIssuerKeys keys) => Results.Text(keys.JwksJson, "application/json"));
        return app;
    }
}
