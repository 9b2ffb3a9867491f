using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Job records in PostgreSQL: shared by every instance on the database, surviving restarts. Each state change
/// is one conditional UPDATE that also NOTIFYs, so every node's long polls and running jobs hear of it.
/// </summary>
internal sealed class PostgresJobStore(NpgsqlDataSource dataSource, TimeProvider time) : IJobStore
{
    private const string Table = PostgresJobSchema.Schema + ".jobs";
    private const string Columns = "id, owner, kind, state, request, progress, result, outcome, created_at, updated_at, started_at, " +
                                   "completed_at, expires_at, mode, base_url, callback_url, lease, heartbeat_at, checkpoint, parent_id";
    // Appended to an UPDATE … RETURNING: announces the change once the statement commits.
    private const string InsertValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20";
    // Namespaces the advisory lock keys of TryCreateAsync (hashed to 64 bits).
    private const string OwnerLockPrefix = "asyncfacade.jobs.owner:";
    private const string AnnounceChange = $", pg_notify('{PostgresJobSchema.Channel}', id)";

    public async Task CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"insert into {Table} ({Columns}) values ({InsertValues})");
        command.Parameters.AddRange(InsertParameters(job));
        await InsertAsync(command, job, cancellationToken);
    }

    public async Task<bool> TryCreateAsync(JobRecord job, int maxActiveOfOwner, CancellationToken cancellationToken)
    {
        if (maxActiveOfOwner <= 0)
        {
            await CreateAsync(job, cancellationToken);
            return true;
        }
        // A per-owner advisory lock makes count-then-insert one step across nodes. It must be a statement of its own in
        // the transaction: under read committed the insert's snapshot is taken after the lock is held, so it sees what
        // the previous holder inserted (in one statement the snapshot would predate the wait). Owners whose keys collide
        // only wait for each other.
        // Both statements go in one batch (one round trip; the server still runs them one after the other).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var lockOwner = new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))");
        lockOwner.Parameters.Add(Text(OwnerLockPrefix + job.Owner));
        var insert = new NpgsqlBatchCommand($"""
            insert into {Table} ({Columns})
            select {InsertValues}
            where (select count(*) from {Table} where owner = $2 and parent_id is null and state in ('queued', 'running')) < $21
            """);
        insert.Parameters.AddRange(InsertParameters(job));
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxActiveOfOwner });
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockOwner, insert } };
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"Job {job.Id} already exists.", ex);
        }
        var created = insert.RecordsAffected == 1;
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} where id = $1");
        command.Parameters.Add(Text(id));
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> FindExistingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return existing;
        }
        await using var command = dataSource.CreateCommand($"select id from {Table} where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add(reader.GetString(0));
        }
        return existing;
    }

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        // Filters ride on jobs_listing: the scan walks it newest first and stops after limit + 1 matching rows.
        var limit = query.ClampedLimit;
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from {Table}
            where parent_id is null and ($1::text is null or state = $1) and ($2::text is null or owner = $2) and ($3::text is null or kind = $3)
              and ($4::timestamptz is null or created_at < $4 or (created_at = $4 and id collate "C" < $5))
            order by created_at desc, id collate "C" desc
            limit $6
            """);
        command.Parameters.AddRange((NpgsqlParameter[])[
            Text(query.State?.ToWire()), Text(query.Owner), Text(query.Kind), Time(query.Before?.CreatedAt), Text(query.Before?.Id),
            new NpgsqlParameter<int> { TypedValue = limit + 1 }]);
        var fetched = new List<JobRecord>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            fetched.Add(Read(reader));
        }
        return JobPage.Of(fetched, limit);
    }

    public async Task<IReadOnlyList<JobRecord>> ListChildrenAsync(string parentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} where parent_id = $1 order by id");
        command.Parameters.Add(Text(parentId));
        var children = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            children.Add(Read(reader));
        }
        return children;
    }

    public async Task<JobRecord?> TryClaimAsync(string id, string lease, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            update {Table} set state = 'running', lease = $2, heartbeat_at = $4, updated_at = $4, started_at = coalesce(started_at, $4)
            where id = $1 and (state = 'queued' or (state = 'running' and (lease is null or heartbeat_at < $3)))
            returning {Columns}{AnnounceChange}
            """);
        command.Parameters.AddRange((NpgsqlParameter[])[Text(id), Text(lease), Time(staleBefore), Time(time.GetUtcNow())]);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<bool> HeartbeatAsync(string id, string lease, string? progress, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            update {Table} set heartbeat_at = $3, updated_at = $3, progress = coalesce($4, progress)
            where id = $1 and lease = $2 and state = 'running'
            """);
        command.Parameters.AddRange((NpgsqlParameter[])[Text(id), Text(lease), Time(time.GetUtcNow()), Text(progress)]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SaveCheckpointAsync(string id, string lease, string checkpoint, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            update {Table} set checkpoint = $3, heartbeat_at = $4, updated_at = $4
            where id = $1 and lease = $2 and state = 'running'
            """);
        command.Parameters.AddRange((NpgsqlParameter[])[Text(id), Text(lease), Json(checkpoint), Time(time.GetUtcNow())]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken)
    {
        // One statement: the state (and lease) check and the update are atomic, whichever instance runs it.
        await using var command = dataSource.CreateCommand($"""
            update {Table} set
                state = $3,
                progress = coalesce($4, progress),
                result = coalesce($5, result),
                outcome = coalesce($6, outcome),
                started_at = coalesce($7, started_at),
                completed_at = coalesce($8, completed_at),
                expires_at = coalesce($9, expires_at),
                lease = case when $12 then null else lease end,
                updated_at = $10
            where id = $1 and state = any($2) and ($11::text is null or lease = $11)
            returning {Columns}{AnnounceChange}
            """);
        command.Parameters.AddRange((NpgsqlParameter[])[
            Text(id), new NpgsqlParameter { Value = from.Select(s => s.ToWire()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Text(change.State.ToWire()), Text(change.Progress), Json(change.Result), Json(change.Outcome), Time(change.StartedAt),
            Time(change.CompletedAt), Time(change.ExpiresAt), Time(time.GetUtcNow()), Text(change.RequiredLease),
            new NpgsqlParameter<bool> { TypedValue = change.ReleaseLease }]);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        // Units go with their parent (the foreign key cascades too); each is announced so a unit still running stops.
        await using var command = dataSource.CreateCommand($"""
            with gone as (delete from {Table} where id = $1 or parent_id = $1 returning id{AnnounceChange})
            select count(*) filter (where id = $1) from gone
            """);
        command.Parameters.Add(Text(id));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    public async Task<int> CountQueuedAheadAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select count(*) from {Table} where state = 'queued' and parent_id is null and created_at < $1");
        command.Parameters.Add(Time(job.CreatedAt));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select count(*) from {Table}");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ListIdsAsync($"select id from {Table} where expires_at <= $1 order by expires_at limit $2", now, limit, cancellationToken);

    public Task<IReadOnlyList<string>> ListStaleAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken) =>
        ListIdsAsync($"select id from {Table} where state = 'running' and lease is not null and heartbeat_at < $1 order by heartbeat_at limit $2",
            staleBefore, limit, cancellationToken);

    public Task<IReadOnlyList<string>> ListWaitingAsync(DateTimeOffset staleBefore, int limit, CancellationToken cancellationToken) =>
        ListIdsAsync($"select id from {Table} where state = 'running' and lease is null and heartbeat_at < $1 order by heartbeat_at limit $2",
            staleBefore, limit, cancellationToken);

    private async Task<IReadOnlyList<string>> ListIdsAsync(string sql, DateTimeOffset bound, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange((NpgsqlParameter[])[Time(bound), new NpgsqlParameter<int> { TypedValue = limit }]);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static NpgsqlParameter[] InsertParameters(JobRecord job) =>
    [
        Text(job.Id), Text(job.Owner), Text(job.Kind), Text(job.State.ToWire()), Json(JsonSerializer.Serialize(job.Request)),
        Text(job.Progress), Json(job.Result), Json(job.Outcome), Time(job.CreatedAt), Time(job.UpdatedAt), Time(job.StartedAt),
        Time(job.CompletedAt), Time(job.ExpiresAt), Text(job.Mode), Text(job.BaseUrl), Text(job.CallbackUrl), Text(job.Lease),
        Time(job.HeartbeatAt), Json(job.Checkpoint), Text(job.ParentId),
    ];

    /// <returns>Whether a row was inserted.</returns>
    private static async Task<bool> InsertAsync(NpgsqlCommand command, JobRecord job, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"Job {job.Id} already exists.", ex);
        }
    }

    private static async Task<JobRecord?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static JobRecord Read(NpgsqlDataReader reader) =>
        new()
        {
            Id = reader.GetString(0),
            Owner = reader.GetString(1),
            Kind = reader.GetString(2),
            State = JobStates.Parse(reader.GetString(3)),
            Request = JsonSerializer.Deserialize<JobRequest>(reader.GetString(4))!,
            Progress = NullableString(reader, 5),
            Result = NullableString(reader, 6),
            Outcome = NullableString(reader, 7),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(9),
            StartedAt = NullableTime(reader, 10),
            CompletedAt = NullableTime(reader, 11),
            ExpiresAt = NullableTime(reader, 12),
            Mode = reader.GetString(13),
            BaseUrl = reader.GetString(14),
            CallbackUrl = NullableString(reader, 15),
            Lease = NullableString(reader, 16),
            HeartbeatAt = NullableTime(reader, 17),
            Checkpoint = NullableString(reader, 18),
            ParentId = NullableString(reader, 19),
        };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } t ? t.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
