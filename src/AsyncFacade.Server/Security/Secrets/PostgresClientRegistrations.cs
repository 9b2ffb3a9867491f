using AsyncFacade.Server.Security.Issuer;
using Npgsql;
using NpgsqlTypes;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Run-time client registrations in `asyncfacade.issuer_clients`: every node sees a registration at once (a token
/// request may reach any of them) and it survives restarts. Only public keys or a JWKS URL are stored: nothing secret.
/// </summary>
internal sealed class PostgresClientRegistrations(NpgsqlDataSource dataSource, SecretsSchema schema) : IClientRegistrationStore
{
    private const string Table = SecretsSchema.IssuerClients;
    private const string Columns = "client_id, name, jwks, jwks_url, scopes, token_lifetime_seconds, created";

    // Its own advisory lock (not the schema's): the count-then-insert must not let two nodes both take the last place.
    private const long CapacityLockKey = 0x4153_5245_4749_5354;

    public async Task<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        schema.EnsureCreated();
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} where client_id = $1");
        command.Parameters.Add(Text(clientId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<RegisteredClient>> ListAsync(CancellationToken cancellationToken)
    {
        schema.EnsureCreated();
        // Bounded by Auth:Issuer:MaxRegistrations (TryAddAsync), so one query without paging.
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} order by created, client_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clients = new List<RegisteredClient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            clients.Add(Read(reader));
        }
        return clients;
    }

    public async Task<bool> TryAddAsync(RegisteredClient client, int capacity, CancellationToken cancellationToken)
    {
        schema.EnsureCreated();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_xact_lock({CapacityLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand($"""
            insert into {Table} ({Columns})
            select $1, $2, $3, $4, $5, $6, $7 where (select count(*) from {Table}) < $8
            on conflict (client_id) do nothing
            """, connection, transaction);
        command.Parameters.Add(Text(client.ClientId));
        command.Parameters.Add(Text(client.Name));
        command.Parameters.Add(Text(client.Jwks));
        command.Parameters.Add(Text(client.JwksUrl));
        command.Parameters.Add(Text(string.Join(' ', client.Scopes)));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = client.TokenLifetimeSeconds });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = client.CreatedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (long)capacity });
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted == 1;
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        schema.EnsureCreated();
        await using var command = dataSource.CreateCommand($"delete from {Table} where client_id = $1");
        command.Parameters.Add(Text(clientId));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static RegisteredClient Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        AuthIssuerScopes.Split(reader.GetString(4)),
        reader.GetInt32(5),
        new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero));

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
