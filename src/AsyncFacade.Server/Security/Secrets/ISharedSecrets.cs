namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Secrets every node must agree on (the issuer's signing key, the file-URL key), made once. Two modes: generated per
/// process in the embedded default (<see cref="ProcessSecrets"/>), shared through PostgreSQL when it is configured
/// (<see cref="PostgresSecrets"/>). Read while singletons are built, at start, never on a request.
/// </summary>
public interface ISharedSecrets
{
    /// <summary>True when every node on the database reads the same value, and a restart keeps it.</summary>
    bool IsShared { get; }

    /// <summary>The secret called <paramref name="name"/>; <paramref name="create"/> makes it when no node has yet.</summary>
    byte[] GetOrCreate(string name, Func<byte[]> create);
}
