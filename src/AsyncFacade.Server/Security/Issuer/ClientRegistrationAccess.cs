namespace AsyncFacade.Server.Security.Issuer;

/// <summary>Who may register, list and delete clients of the built-in issuer at run time (`Auth:Issuer:Registration`).</summary>
public enum ClientRegistrationAccess
{
    /// <summary>Clients come from configuration only; `/auth/clients` is not mapped.</summary>
    Off,

    /// <summary>Requests from a loopback address only: the developer on the server's own machine (the default).</summary>
    Local,

    /// <summary>Anyone who reaches the server: a throwaway reference test server (the default when Simulation:Enabled).</summary>
    Open,
}
