using Npgsql;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Creates and migrates the job tables in their own schema at start-up. Idempotent and safe when several
/// instances start at once: migrations run in one transaction under an advisory lock, each version once.
/// </summary>
internal sealed class PostgresJobSchema(NpgsqlDataSource dataSource, ILogger<PostgresJobSchema> logger) : IHostedService
{
    public const string Schema = "asyncfacade";

    // Append new versions; never edit an applied one.
    private static readonly string[] Migrations =
    [
        $"""
        create table {Schema}.jobs (
            id           text primary key,
            owner        text not null,
            kind         text not null,
            state        text not null,
            request      jsonb not null,
            progress     text,
            result       jsonb,
            outcome      jsonb,
            created_at   timestamptz not null,
            updated_at   timestamptz not null,
            started_at   timestamptz,
            completed_at timestamptz,
            expires_at   timestamptz
        );
        create index jobs_expires_at on {Schema}.jobs (expires_at) where expires_at is not null;
        create index jobs_active on {Schema}.jobs (created_at) where state in ('queued', 'running');
        """,
        $"""
        alter table {Schema}.jobs
            add column mode         text not null default 'bundle',
            add column base_url     text not null default '',
            add column callback_url text,
            add column lease        text,
            add column heartbeat_at timestamptz;
        create index jobs_heartbeat on {Schema}.jobs (heartbeat_at) where state = 'running';
        """,
        $"alter table {Schema}.jobs add column checkpoint jsonb;",
        $"""
        alter table {Schema}.jobs add column parent_id text references {Schema}.jobs (id) on delete cascade;
        create index jobs_parent on {Schema}.jobs (parent_id) where parent_id is not null;
        """,
        // Async:MaxActiveJobsPerOwner counts an owner's active top-level jobs at every kick-off.
        $"create index jobs_active_owner on {Schema}.jobs (owner) where parent_id is null and state in ('queued', 'running');",
        // The console's job list: newest top-level jobs first, paged by (created_at, id) (ids compared bytewise, as in .NET).
        $"""create index jobs_listing on {Schema}.jobs (created_at desc, id collate "C" desc) where parent_id is null;""",
    ];

    /// <summary>Every state change is announced on this channel with the job id as payload (see <see cref="PostgresJobListener"/>).</summary>
    public const string Channel = "asyncfacade_jobs";

    // Any constant shared by all instances; keeps concurrent starts from migrating twice (Security/Secrets takes it too).
    internal const long MigrationLockKey = 0x4153_594E_4346_4143;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            select pg_advisory_xact_lock({MigrationLockKey});
            create schema if not exists {Schema};
            create table if not exists {Schema}.schema_version (version int primary key, applied_at timestamptz not null default now());
            """, cancellationToken);

        await using var current = new NpgsqlCommand($"select coalesce(max(version), 0) from {Schema}.schema_version", connection);
        var version = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
        for (var next = version + 1; next <= Migrations.Length; next++)
        {
            await ExecuteAsync(connection, Migrations[next - 1], cancellationToken);
            await ExecuteAsync(connection, $"insert into {Schema}.schema_version (version) values ({next})", cancellationToken);
            JobsLog.SchemaMigrated(logger, Schema, next);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
