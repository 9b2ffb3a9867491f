using Npgsql;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL that ./test.sh starts. Each caller gets a fresh database, dropped again on dispose, so test
/// hosts never see each other's jobs. A missing connection string fails the test: never a silent in-memory run.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string EnvironmentVariable = "ASYNCFACADE_TEST_POSTGRES";

    private TestPostgres(string database, string connectionString)
    {
        Database = database;
        ConnectionString = connectionString;
    }

    public string Database { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the suite with ./test.sh, which starts a throwaway PostgreSQL and sets it.");

    public static async Task<TestPostgres> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = "af_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"create database {database}", cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database };
        return new TestPostgres(database, builder.ConnectionString);
    }

    /// <summary>Makes the database refuse connections and drops the open ones: to the app, PostgreSQL is gone.</summary>
    public Task CutOffAsync(CancellationToken cancellationToken) => ExecuteAsync($"""
        alter database {Database} with allow_connections false;
        select pg_terminate_backend(pid) from pg_stat_activity where datname = '{Database}';
        """, cancellationToken);

    public Task RestoreAsync(CancellationToken cancellationToken) =>
        ExecuteAsync($"alter database {Database} with allow_connections true", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"drop database if exists {Database} with (force)", CancellationToken.None);
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
