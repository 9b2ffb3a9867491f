using Npgsql;
using NpgsqlTypes;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Accepted assertion jti values in `asyncfacade.client_assertion_jtis`, shared by every node. One INSERT decides:
/// a new (client_id, jti), or one whose row has expired, is remembered; an unexpired one is a replay. Two nodes
/// offered the same assertion at once serialize on the primary key, so exactly one accepts it. Never full: the table
/// grows only with assertions that passed signature checks, and expired rows are swept while inserting.
/// </summary>
internal sealed class PostgresReplayCache(NpgsqlDataSource dataSource, SecretsSchema schema, TimeProvider time) : IClientAssertionReplayCache
{
    private const string Table = SecretsSchema.AssertionJtis;

    // Assertions live at most five minutes: sweeping once a minute per node keeps the table to minutes of token requests.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private const int SweepBatch = 1000;

    private long nextSweepTicks;

    public async Task<ClientAssertionReplayCheck> TryRememberAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        schema.EnsureCreated(); // made at start by the key ring's first read; a field check here
        var now = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"""
            insert into {Table} as seen (client_id, jti, expires_at) values ($1, $2, $3)
            on conflict (client_id, jti) do update set expires_at = excluded.expires_at where seen.expires_at <= $4
            returning 1
            """, Text(clientId), Text(jti), Time(expires), Time(now)));
        if (SweepDue(now))
        {
            // Bounded, on the expires_at index, in the same round trip as the insert.
            batch.BatchCommands.Add(Command($"""
                delete from {Table} where (client_id, jti) in
                    (select client_id, jti from {Table} where expires_at <= $1 limit {SweepBatch} for update skip locked)
                """, Time(now)));
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ClientAssertionReplayCheck.Remembered : ClientAssertionReplayCheck.Replayed;
    }

    private bool SweepDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        return now.UtcTicks >= due && Interlocked.CompareExchange(ref nextSweepTicks, (now + SweepInterval).UtcTicks, due) == due;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value.UtcDateTime };
}
