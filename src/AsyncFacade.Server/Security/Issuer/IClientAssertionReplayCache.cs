namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The jti values of accepted client assertions (RFC 7523 §3: a jti may be used once). Two modes: in memory for the
/// embedded default (<see cref="ClientAssertionReplayCache"/>), in PostgreSQL when configured, so that a replay to
/// another node is refused too (<see cref="Secrets.PostgresReplayCache"/>).
/// </summary>
internal interface IClientAssertionReplayCache
{
    /// <summary>Remembered when the jti is new for the client (now kept until <paramref name="expires"/>), Replayed when it is not.</summary>
    Task<ClientAssertionReplayCheck> TryRememberAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken);
}
