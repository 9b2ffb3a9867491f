namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The embedded default: registrations live as long as the process, on this node only.</summary>
internal sealed class InMemoryClientRegistrations : IClientRegistrationStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RegisteredClient> clients = new(StringComparer.Ordinal);

    public Task<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(clients.GetValueOrDefault(clientId));
        }
    }

    public Task<IReadOnlyList<RegisteredClient>> ListAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<RegisteredClient>>(clients.Values.OrderBy(c => c.CreatedAt).ThenBy(c => c.ClientId, StringComparer.Ordinal).ToArray());
        }
    }

    public Task<bool> TryAddAsync(RegisteredClient client, int capacity, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(clients.Count < capacity && clients.TryAdd(client.ClientId, client));
        }
    }

    public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(clients.Remove(clientId));
        }
    }
}
