using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace AsyncFacade.Server.Jobs;

/// <summary>Job records in PostgreSQL: shared by every instance on the database, surviving restarts.</summary>
internal sealed class PostgresJobStore(NpgsqlDataSource dataSource, TimeProvider time) : IJobStore
{
    private const string Table = PostgresJobSchema.Schema + ".jobs";
    private const string Columns = "id, owner, kind, state, request, progress, result, outcome, created_at, updated_at, started_at, completed_at, expires_at";

    public async Task CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into {Table} ({Columns})
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """);
        command.Parameters.Add(Text(job.Id));
        command.Parameters.Add(Text(job.Owner));
        command.Parameters.Add(Text(job.Kind));
        command.Parameters.Add(Text(job.State.ToWire()));
        command.Parameters.Add(Json(JsonSerializer.Serialize(job.Request)));
        command.Parameters.Add(Text(job.Progress));
        command.Parameters.Add(Json(job.Result));
        command.Parameters.Add(Json(job.Outcome));
        command.Parameters.Add(Time(job.CreatedAt));
        command.Parameters.Add(Time(job.UpdatedAt));
        command.Parameters.Add(Time(job.StartedAt));
        command.Parameters.Add(Time(job.CompletedAt));
        command.Parameters.Add(Time(job.ExpiresAt));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"Job {job.Id} already exists.", ex);
        }
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from {Table} where id = $1");
        command.Parameters.Add(Text(id));
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<JobRecord?> TryTransitionAsync(string id, IReadOnlyCollection<JobState> from, JobChange change, CancellationToken cancellationToken)
    {
        // One statement: the state check and the update are atomic, whichever instance runs it.
        await using var command = dataSource.CreateCommand($"""
            update {Table} set
                state = $3,
                progress = coalesce($4, progress),
                result = coalesce($5, result),
                outcome = coalesce($6, outcome),
                started_at = coalesce($7, started_at),
                completed_at = coalesce($8, completed_at),
                expires_at = coalesce($9, expires_at),
                updated_at = $10
            where id = $1 and state = any($2)
            returning {Columns}
            """);
        command.Parameters.Add(Text(id));
        command.Parameters.Add(new NpgsqlParameter { Value = from.Select(s => s.ToWire()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(Text(change.State.ToWire()));
        command.Parameters.Add(Text(change.Progress));
        command.Parameters.Add(Json(change.Result));
        command.Parameters.Add(Json(change.Outcome));
        command.Parameters.Add(Time(change.StartedAt));
        command.Parameters.Add(Time(change.CompletedAt));
        command.Parameters.Add(Time(change.ExpiresAt));
        command.Parameters.Add(Time(time.GetUtcNow()));
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<bool> ReportProgressAsync(string id, string progress, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"update {Table} set progress = $2, updated_at = $3 where id = $1 and state = 'running'");
        command.Parameters.Add(Text(id));
        command.Parameters.Add(Text(progress));
        command.Parameters.Add(Time(time.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"delete from {Table} where id = $1");
        command.Parameters.Add(Text(id));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<string>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select id from {Table} where expires_at <= $1 order by expires_at limit $2");
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static async Task<JobRecord?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new JobRecord
        {
            Id = reader.GetString(0),
            Owner = reader.GetString(1),
            Kind = reader.GetString(2),
            State = JobStates.Parse(reader.GetString(3)),
            Request = JsonSerializer.Deserialize<JobRequest>(reader.GetString(4))!,
            Progress = reader.IsDBNull(5) ? null : reader.GetString(5),
            Result = reader.IsDBNull(6) ? null : reader.GetString(6),
            Outcome = reader.IsDBNull(7) ? null : reader.GetString(7),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(9),
            StartedAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
            CompletedAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            ExpiresAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
        };
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } t ? t.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
