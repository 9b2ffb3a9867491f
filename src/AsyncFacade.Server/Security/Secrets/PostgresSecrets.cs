using System.Security.Cryptography;
using AsyncFacade.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Secrets in `asyncfacade.facade_secrets`, protected with Data Protection (whose key ring is itself in PostgreSQL,
/// encrypted with the KEK). The first node to start makes each secret; the others, and restarts, read it back.
/// A start costs one SELECT per secret; the very first costs an INSERT more.
/// </summary>
internal sealed class PostgresSecrets(NpgsqlDataSource dataSource, PostgresXmlRepository keyRing, IDataProtectionProvider protection,
    ILogger<PostgresSecrets> logger) : ISharedSecrets
{
    private const string Table = SecretsSchema.Secrets;

    // The name is part of the purpose: a value copied into another row does not unprotect as that secret.
    private const string Purpose = "AsyncFacade.Server.Security.Secrets.PostgresSecrets";

    private volatile bool keyRingChecked;

    public bool IsShared => true;

    /// <summary>Synchronous: it runs inside singleton constructors while the app is built (see <see cref="SecretsSchema.EnsureCreated"/>).</summary>
    public byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        // Before Data Protection reads the ring: a wrong KEK is then one clear line (and no key is made in its place).
        if (!keyRingChecked)
        {
            keyRing.CheckKeyEncryption();
            keyRingChecked = true;
        }
        var protector = protection.CreateProtector(Purpose, name);
        try
        {
            if (Read(name) is not { } stored)
            {
                var value = create();
                if (TryInsert(name, protector.Protect(value)))
                {
                    SecretsLog.SecretCreated(logger, name, Table);
                    return value;
                }
                // Another node inserted first (INSERT … ON CONFLICT DO NOTHING): its value wins, ours is dropped.
                stored = Read(name) ?? throw new InvalidOperationException($"Shared secret '{name}' vanished from {Table} while it was being created.");
            }
            var secret = protector.Unprotect(stored);
            SecretsLog.SecretRead(logger, name, Table);
            return secret;
        }
        catch (CryptographicException e)
        {
            // Data Protection wraps every failure; the inner message is ours when the KEK does not match (PostgresXmlRepository).
            throw new StartupConfigurationException($"Shared secret '{name}' in {Table} cannot be read: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    private byte[]? Read(string name)
    {
        using var command = dataSource.CreateCommand($"select protected_value from {Table} where name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return command.ExecuteScalar() as byte[];
    }

    private bool TryInsert(string name, byte[] protectedValue)
    {
        using var command = dataSource.CreateCommand($"insert into {Table} (name, protected_value) values ($1, $2) on conflict (name) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = protectedValue });
        return command.ExecuteNonQuery() == 1;
    }
}
