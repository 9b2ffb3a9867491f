using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>
/// A reference test server as a client developer meets it: simulation on, auth on, the built-in issuer with no configured
/// client, run-time registration at its default (Open, since Simulation:Enabled), and a JWKS host on localhost that the
/// operator has allowed. In-memory store: persistence is <see cref="ClientRegistrationPostgresTests"/>'s part.
/// </summary>
public sealed class LaunchFacade : IAsyncLifetime
{
    public const string Audience = "https://facade.test/fhir";

    public FacadeApplication App { get; private set; } = null!;

    public JwksServer Jwks { get; private set; } = null!;

    public string TokenUrl => new Uri(App.ServerAddress, "auth/token").ToString();

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Simulation:Enabled"] = "true",
        ["Auth:Enabled"] = "true",
        ["Auth:Audience"] = Audience,
        ["Auth:Issuer:Enabled"] = "true",
        ["Auth:Issuer:RegistrationScopes"] = "system/*.read",
        ["Auth:Issuer:JwksAllowedHosts:0"] = "localhost",
    };

    public async ValueTask InitializeAsync()
    {
        Jwks = await JwksServer.StartAsync(TestContext.Current.CancellationToken);
        App = new FacadeApplication(Settings()).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Jwks.DisposeAsync();
    }
}
