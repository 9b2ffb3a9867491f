using AsyncFacade.Server.Simulation;

namespace AsyncFacade.Server.WebConsole;

/// <summary>`GET /console/api/launch`: what the launch page needs to know about this server, from the server's own settings.</summary>
/// <param name="FhirBaseUrl">The FHIR base as this request sees it (Server:PublicBaseUrl or the request's origin).</param>
/// <param name="AuthEnabled">Auth:Enabled: /fhir requests need a bearer token.</param>
public sealed record LaunchConfiguration(
    string FhirBaseUrl,
    bool AuthEnabled,
    LaunchConfiguration.SimulationPart Simulation,
    LaunchConfiguration.IssuerPart Issuer)
{
    /// <param name="BaseUrlTemplate">The simulating FHIR base, `{behaviours}` to be replaced by the comma-separated behaviours.</param>
    /// <param name="Behaviours">Every behaviour of the `X-Simulate` grammar (the one list the server parses by).</param>
    public sealed record SimulationPart(bool Enabled, string BaseUrlTemplate, IReadOnlyList<BehaviourPart> Behaviours);

    /// <param name="Parameter">What follows `=`; null for a flag.</param>
    /// <param name="Choices">The allowed values for a fixed set; null otherwise.</param>
    public sealed record BehaviourPart(string Name, string? Parameter, IReadOnlyList<string>? Choices, int? Minimum, int? Maximum, string Explanation)
    {
        internal static BehaviourPart Of(SimulatedBehaviourInfo info) =>
            new(info.Name, info.Parameter, info.Choices, info.Minimum, info.Maximum, info.Explanation);
    }

    /// <param name="Enabled">Auth:Issuer:Enabled: this server issues tokens itself.</param>
    /// <param name="Registration">Auth:Issuer:Registration: Off, Local or Open.</param>
    /// <param name="MayRegister">Whether this request may register clients (Local: only from the server's own machine).</param>
    /// <param name="AllowedScopes">The most a self-registered client may be allowed (Auth:Issuer:RegistrationScopes).</param>
    public sealed record IssuerPart(
        bool Enabled,
        string? TokenUrl,
        string? Audience,
        string Registration,
        bool MayRegister,
        IReadOnlyList<string> AllowedScopes,
        int DefaultTokenLifetimeSeconds,
        int MaxTokenLifetimeSeconds,
        int MaxRegistrations);
}
