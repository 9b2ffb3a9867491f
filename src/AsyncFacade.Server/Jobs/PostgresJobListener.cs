using Npgsql;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// LISTENs for job changes made by any node (including this one) and raises them as <see cref="JobSignals"/>,
/// so a long poll on node A wakes when node B finishes the job, and a cancel on A stops the run on B.
/// Reconnects after a lost connection; a change missed meanwhile only delays a long poll's answer to the end of its wait.
/// </summary>
internal sealed class PostgresJobListener(NpgsqlDataSource dataSource, JobSignals signals, ILogger<PostgresJobListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => signals.Notify(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {PostgresJobSchema.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                JobsLog.ListenerLost(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
