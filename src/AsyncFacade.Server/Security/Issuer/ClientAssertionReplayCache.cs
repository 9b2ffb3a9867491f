namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The jti values of accepted client assertions, kept until the assertion expires (RFC 7523 §3: a jti may be used
/// once). In memory, so per node: the embedded default's cache; with PostgreSQL, <see cref="Secrets.PostgresReplayCache"/>
/// catches a replay to another node too. Bounded: when full of unexpired entries, new assertions are refused
/// rather than remembered partially, because forgetting a jti would re-open the replay.
/// </summary>
internal sealed class ClientAssertionReplayCache(TimeProvider time) : IClientAssertionReplayCache
{
    public const int Capacity = 100_000;

    private readonly Dictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Task<ClientAssertionReplayCheck> TryRememberAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken) =>
        Task.FromResult(TryRemember(clientId, jti, expires));

    private ClientAssertionReplayCheck TryRemember(string clientId, string jti, DateTimeOffset expires)
    {
        // Keyed by client too: two clients may pick the same jti without harm to each other.
        var key = clientId + "\n" + jti;
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (seen.TryGetValue(key, out var until) && until > now)
            {
                return ClientAssertionReplayCheck.Replayed;
            }
            if (seen.Count >= Capacity)
            {
                // O(n) sweep only when full: at most once per Capacity insertions in steady state.
                foreach (var (old, oldUntil) in seen)
                {
                    if (oldUntil <= now)
                    {
                        seen.Remove(old);
                    }
                }
                if (seen.Count >= Capacity)
                {
                    return ClientAssertionReplayCheck.Full;
                }
            }
            seen[key] = expires;
            return ClientAssertionReplayCheck.Remembered;
        }
    }
}
