using AsyncFacade.Server.Jobs;
using Npgsql;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// The tables of shared security state, beside the job tables in schema `asyncfacade`. Created on first use
/// rather than by a hosted service: the issuer's key and the file-URL key are read while the app is built, before
/// any hosted service starts. `if not exists` DDL under the job schema's advisory lock keeps concurrent starts safe;
/// a later change adds `… if not exists` statements here.
/// </summary>
internal sealed class SecretsSchema(NpgsqlDataSource dataSource)
{
    public const string DataProtectionKeys = PostgresJobSchema.Schema + ".data_protection_keys";
    public const string Secrets = PostgresJobSchema.Schema + ".facade_secrets";
    public const string AssertionJtis = PostgresJobSchema.Schema + ".client_assertion_jtis";
    public const string IssuerClients = PostgresJobSchema.Schema + ".issuer_clients";

    private const string Ddl = $"""
        create schema if not exists {PostgresJobSchema.Schema};
        create table if not exists {DataProtectionKeys} (
            id            bigint generated always as identity primary key,
            friendly_name text not null,
            xml           text not null,
            created       timestamptz not null default now()
        );
        create table if not exists {Secrets} (
            name            text primary key,
            protected_value bytea not null,
            created         timestamptz not null default now()
        );
        create table if not exists {AssertionJtis} (
            client_id  text not null,
            jti        text not null,
            expires_at timestamptz not null,
            primary key (client_id, jti)
        );
        create index if not exists client_assertion_jtis_expires_at on {AssertionJtis} (expires_at);
        create table if not exists {IssuerClients} (
            client_id              text primary key,
            name                   text,
            jwks                   text,
            jwks_url               text,
            scopes                 text not null,
            token_lifetime_seconds integer not null,
            created                timestamptz not null
        );
        """;

    private readonly Lock gate = new();
    private volatile bool created;

    /// <summary>
    /// Synchronous, because Data Protection's <c>IXmlRepository</c> is; Npgsql's synchronous calls do blocking I/O,
    /// not sync-over-async. Once per process: afterwards a field read.
    /// </summary>
    public void EnsureCreated()
    {
        if (created)
        {
            return;
        }
        lock (gate)
        {
            if (created)
            {
                return;
            }
            using var connection = dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using (var command = new NpgsqlCommand($"select pg_advisory_xact_lock({PostgresJobSchema.MigrationLockKey}); {Ddl}", connection, transaction))
            {
                command.ExecuteNonQuery();
            }
            transaction.Commit();
            created = true;
        }
    }
}
