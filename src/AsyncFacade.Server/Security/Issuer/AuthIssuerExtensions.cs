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
            .Configure<IConfiguration>((o, configuration) =>
            {
                o.Audience = configuration[AuthIssuerOptions.AudienceKey];
                // Unset: a reference test server (Simulation:Enabled) is open to anyone; anything else to local requests.
                o.Registration ??= configuration.GetValue<bool>("Simulation:Enabled") ? ClientRegistrationAccess.Open : ClientRegistrationAccess.Local;
            });
        services.TryAddSingleton(TimeProvider.System);
        // The embedded default's key source and jti cache (per process); AddSecrets puts PostgreSQL's in their place when configured.
        services.TryAddSingleton<ISharedSecrets, ProcessSecrets>();
        services.TryAddSingleton<IClientAssertionReplayCache, ClientAssertionReplayCache>();
        // A factory, because the constructor is internal: the resource server reads the keys, it does not make them.
        services.AddSingleton(sp => new AuthIssuerKeys(
            sp.GetRequiredService<IOptions<AuthIssuerOptions>>(), sp.GetRequiredService<ISharedSecrets>(), sp.GetRequiredService<ILogger<AuthIssuerKeys>>()));
        services.AddSingleton<AuthIssuerClients>();
        services.AddClientRegistration();
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<TokenRequestLimiter>();
        return services;
    }

    /// <summary>`POST /auth/token` and `GET /.well-known/jwks.json`, only when Auth:Issuer:Enabled; `/auth/clients` always.</summary>
    public static IEndpointRouteBuilder MapAuthIssuer(this IEndpointRouteBuilder app)
    {
        // Mapped whatever the settings, answering 404 when off: the OpenAPI document lists them either way.
        app.MapClientRegistration();
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

    /// <summary>Run-time registrations: the store (in memory; AddSecrets puts PostgreSQL's in its place), the JWKS URL rule and fetcher.</summary>
    private static void AddClientRegistration(this IServiceCollection services)
    {
        services.TryAddSingleton<IClientRegistrationStore, InMemoryClientRegistrations>();
        services.AddSingleton<ClientRegistrar>();
        // Keyed: Callbacks and Import have allow-lists of their own.
        services.AddKeyedSingleton(AuthIssuerOptions.Section, (sp, _) => new AllowedHostList(sp.GetRequiredService<IOptions<AuthIssuerOptions>>().Value.JwksAllowedHosts));
        services.AddSingleton<JwksUrlPolicy>();
        services.AddSingleton<ClientJwksFetcher>();
        // ClientJwksFetcher sets the deadline per fetch; the handler makes the connection safe.
        services.AddHttpClient(ClientJwksFetcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A redirect would lead to a host the policy never saw; a proxy would connect instead of us, bypassing the
                // address check; cookies have no place here.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = ClientJwksFetcher.FetchTimeout,
                // Listed hosts as they are; others (and wildcard matches) only at public addresses, checked on every connect.
                ConnectCallback = new GuardedConnector(sp.GetRequiredKeyedService<AllowedHostList>(AuthIssuerOptions.Section),
                    publicWhenEmpty: true, wildcardsNeedPublic: true).ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
    }
}
