using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Simulation;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.WebConsole;

/// <summary>
/// The launch page for client developers (register a client, pick simulated behaviours, try an export) and the one
/// JSON document it is built from. The page is served at `/` when Simulation:Enabled or Auth:Issuer:Enabled
/// (<see cref="LandingEndpoints.RootPage"/>).
/// </summary>
internal static class LaunchEndpoints
{
    public const string LaunchPage = "launch.html";
    public const string ConfigurationPath = "/console/api/launch";

    public static IEndpointRouteBuilder MapLaunch(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConfigurationPath, Configuration)
            .WithTags("Console")
            .WithName("LaunchConfiguration")
            .WithSummary("What the launch page shows: FHIR base, token URL, audience, who may register, allowed scopes, token lifetimes, simulated behaviours")
            .Produces<LaunchConfiguration>();
        return app;
    }

    private static LaunchConfiguration Configuration(HttpContext httpContext, PublicBaseUrl publicBaseUrl, IOptions<AuthOptions> auth,
        IOptions<AuthIssuerOptions> issuer, IOptions<SimulationOptions> simulation)
    {
        var fhirBase = publicBaseUrl.FhirBase(httpContext.Request);
        var origin = fhirBase[..^PublicBaseUrl.FhirPath.Length];
        var settings = issuer.Value;
        var tokenUrl = settings.Enabled ? ClientRegistrationEndpoints.TokenUrl(fhirBase)
            : string.IsNullOrWhiteSpace(auth.Value.TokenEndpoint) ? null : auth.Value.TokenEndpoint;
        var audience = settings.Enabled ? ClientRegistrationEndpoints.Audience(fhirBase, settings) : auth.Value.Audience;
        return new LaunchConfiguration(
            fhirBase,
            auth.Value.Enabled,
            new LaunchConfiguration.SimulationPart(simulation.Value.Enabled,
                origin + SimulationMiddleware.PathPrefix + "/{behaviours}" + PublicBaseUrl.FhirPath,
                SimulatedBehaviour.Catalogue.Select(LaunchConfiguration.BehaviourPart.Of).ToArray()),
            new LaunchConfiguration.IssuerPart(settings.Enabled, tokenUrl, audience,
                (settings.Enabled ? settings.Registration ?? ClientRegistrationAccess.Off : ClientRegistrationAccess.Off).ToString(),
                ClientRegistrationEndpoints.MayRegister(httpContext, settings) && settings.Registration != ClientRegistrationAccess.Off,
                AuthIssuerScopes.Split(settings.RegistrationScopes), settings.TokenLifetimeSeconds, AuthIssuerOptions.MaxTokenLifetimeSeconds,
                settings.MaxRegistrations));
    }
}
