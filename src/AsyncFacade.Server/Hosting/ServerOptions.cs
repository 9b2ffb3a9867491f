namespace AsyncFacade.Server.Hosting;

public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>
    /// The facade's public base (e.g. https://fhir.example.org). Empty: taken from each request, honouring
    /// X-Forwarded-Proto/Host. Used for Content-Location, manifest URLs and rewritten upstream links.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public ServerRole Role { get; set; } = ServerRole.Both;

    /// <summary>Trust X-Forwarded-* from any proxy (the facade normally sits behind an ingress).</summary>
    public bool TrustForwardedHeaders { get; set; } = true;

    public bool ServesApi => Role is ServerRole.Both or ServerRole.Api;

    public bool RunsJobs => Role is ServerRole.Both or ServerRole.Worker;
}
