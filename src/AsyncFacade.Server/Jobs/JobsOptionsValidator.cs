using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options) => new ValidateOptionsResultBuilder()
        .Range("Jobs:WorkerCount", options.WorkerCount, 1, 200)
        .Range("Jobs:QueuePollIntervalMs", options.QueuePollIntervalMs, 50, 15_000)
        .Range("Jobs:CancellationCheckIntervalMs", options.CancellationCheckIntervalMs, 50, 5_000)
        .Range("Jobs:HeartbeatSeconds", options.HeartbeatSeconds, 1, 300)
        // Three missed heartbeats before a job counts as orphaned: one slow heartbeat must not start a second run.
        .Range("Jobs:OrphanAfterSeconds", options.OrphanAfterSeconds, 3 * options.HeartbeatSeconds, 86_400)
        .Range("Jobs:MaintenanceIntervalSeconds", options.MaintenanceIntervalSeconds, 1, 3600)
        // Seconds are allowed so tests can watch a sweep; production wants the default's minutes.
        .Range("Jobs:OrphanGrace", options.OrphanGrace, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30))
        .Range("Jobs:ShutdownTimeoutSeconds", options.ShutdownTimeoutSeconds, 1, 3600)
        .Build();
}
