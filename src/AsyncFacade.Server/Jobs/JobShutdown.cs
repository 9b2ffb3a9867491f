using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Graceful shutdown (SIGTERM, Ctrl+C, host stop) for the jobs this process runs. The moment the host starts stopping,
/// every running job is asked to stop at its next safe point: right after it saves a checkpoint
/// (<see cref="JobContext.SaveCheckpointAsync"/>), so its next run repeats nothing. A job still running when
/// <see cref="JobsOptions.ShutdownDrain"/> is up is cancelled outright; it resumes from its last checkpoint. Either way
/// the runner hands it back (running without a lease, and queued in Hangfire again): another node, or this one once
/// restarted, takes it over at once instead of after Jobs:OrphanAfterSeconds, and the job is never failed or cancelled.
/// The wait happens in StoppingAsync, before any hosted service stops: the web server (which serves the embedded sample
/// upstream) and the job store must still answer while jobs finish their page or batch.
/// </summary>
public sealed class JobShutdown : IHostedLifecycleService, IDisposable
{
    private readonly ConcurrentDictionary<Run, byte> runs = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenRegistration onStopping;
    private readonly IHostApplicationLifetime lifetime;
    private readonly IOptions<JobsOptions> options;
    private readonly ILogger<JobShutdown> logger;

    public JobShutdown(IHostApplicationLifetime lifetime, IOptions<JobsOptions> options, ILogger<JobShutdown> logger)
    {
        this.lifetime = lifetime;
        this.options = options;
        this.logger = logger;
        // SIGTERM signals ApplicationStopping before the host stops its services; a host stopped in code (StopAsync)
        // calls StoppingAsync first. Whichever comes first starts the shutdown.
        onStopping = lifetime.ApplicationStopping.Register(stopping.Cancel);
    }

    /// <summary>Fires when the host starts stopping: jobs stop at their next checkpoint.</summary>
    public CancellationToken Stopping => stopping.Token;

    public bool IsStopping => stopping.IsCancellationRequested;

    /// <summary>
    /// Counts a run as running until the handle is disposed (after its runner has finished or handed it back), and
    /// cancels <paramref name="run"/> when Hangfire's token fires, except in a shutdown: Hangfire fires it when its job
    /// is deleted (a cancel) and when the process stops, and a stopping process lets the job go on to its next checkpoint.
    /// </summary>
    public IDisposable Track(string jobId, CancellationTokenSource run, CancellationToken hangfire)
    {
        var tracked = new Run(jobId, run, this);
        runs[tracked] = 0;
        tracked.OnHangfireCancel = hangfire.Register(() =>
        {
            if (!IsStopping)
            {
                tracked.Cancel();
            }
        });
        return tracked;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        // Signals ApplicationStopping now (the host would only after StoppingAsync): Hangfire stops fetching jobs for the
        // drain instead of handing this stopping node more work.
        lifetime.StopApplication();
        var running = runs.Keys.ToList();
        if (running.Count == 0)
        {
            return;
        }
        var drain = options.Value.ShutdownDrain;
        JobsLog.Draining(logger, running.Count, drain.TotalSeconds);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(drain);
        if (await WaitAsync(running, window.Token))
        {
            return;
        }
        foreach (var run in running.Where(r => !r.Ended.IsCompleted))
        {
            JobsLog.DrainTimedOut(logger, run.JobId);
            run.Cancel();
        }
        if (!await WaitAsync(running, cancellationToken))
        {
            JobsLog.ShutdownAbandoned(logger, running.Count(r => !r.Ended.IsCompleted));
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The token source is not disposed: a test host may be stopped again after its container is gone, and the source holds no timer.
    public void Dispose() => onStopping.Dispose();

    private static async Task<bool> WaitAsync(List<Run> running, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(running.Select(r => r.Ended)).WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class Run(string jobId, CancellationTokenSource run, JobShutdown owner) : IDisposable
    {
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string JobId => jobId;

        public Task Ended => ended.Task;

        public CancellationTokenRegistration OnHangfireCancel { get; set; }

        public void Cancel()
        {
            try
            {
                run.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended between the check and the cancel.
            }
        }

        public void Dispose()
        {
            OnHangfireCancel.Dispose();
            owner.runs.TryRemove(this, out _);
            ended.TrySetResult();
        }
    }
}
