namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// Run-time client registrations: in process memory by default, in PostgreSQL (shared by nodes, kept across restarts)
/// when the job store is. Bounded by Auth:Issuer:MaxRegistrations, so listing returns at most that many.
/// </summary>
internal interface IClientRegistrationStore
{
    Task<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<RegisteredClient>> ListAsync(CancellationToken cancellationToken);

    /// <returns>False when <paramref name="capacity"/> registrations exist already.</returns>
    Task<bool> TryAddAsync(RegisteredClient client, int capacity, CancellationToken cancellationToken);

    /// <returns>False when there was no such registration.</returns>
    Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken);
}
