namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>The last time the upstream refused the facade's credentials, and why; readiness reports it until a call succeeds.</summary>
internal sealed record UpstreamAuthRefusal(string Description, DateTimeOffset At);
