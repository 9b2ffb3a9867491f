using AsyncFacade.Server.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The recurring clean-up on every worker node: removes expired jobs with their files, and resubmits running jobs
/// whose heartbeat stopped (their node died) and jobs that have waited long for their units, and now and then removes
/// output that belongs to no job (<see cref="OrphanSweep"/>). Every step is idempotent, so nodes may overlap freely.
/// </summary>
internal sealed class JobMaintenance(IJobStore store, IOutputStore output, JobQueue queue, OrphanSweep orphans, TimeProvider time,
    IOptions<JobsOptions> options, ILogger<JobMaintenance> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.MaintenanceIntervalSeconds), time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                JobsLog.MaintenanceFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var id in await store.ListExpiredAsync(now, Batch, cancellationToken))
        {
            // Files first: a record without files is harmless, files without a record would never be found again.
            await output.DeletePrefixAsync(id, cancellationToken);
            await store.DeleteAsync(id, cancellationToken);
            JobsLog.Expired(logger, id);
        }
        foreach (var id in await store.ListStaleAsync(now - options.Value.OrphanAfter, Batch, cancellationToken))
        {
            await queue.ResubmitAsync(id, cancellationToken);
            JobsLog.Requeued(logger, id);
        }
        // A waiting job is woken by its units; this is the backstop for a wake-up lost with a node.
        foreach (var id in await store.ListWaitingAsync(now - options.Value.OrphanAfter, Batch, cancellationToken))
        {
            await queue.ResubmitAsync(id, cancellationToken);
            JobsLog.Rechecked(logger, id);
        }
        // Last, and on its own: a store that cannot be listed must not stop expiry and hand-over.
        try
        {
            await orphans.RunIfDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            OrphanSweepLog.Failed(logger, ex);
        }
    }
}
