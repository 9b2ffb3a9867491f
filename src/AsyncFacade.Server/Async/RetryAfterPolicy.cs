using AsyncFacade.Server.Jobs;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Adaptive polling interval. When the job estimates its remaining time, come back after half of it: an estimate
/// within a factor of 2 (what the export's aims at) then never holds a client past the job's end, and each poll brings
/// a newer estimate, so a long job costs a few polls more. Otherwise poll a young job every second and an old one less
/// often: a tenth of the job's age keeps the expected wasted wait under 10%.
/// </summary>
public sealed class RetryAfterPolicy(IOptions<AsyncOptions> options, TimeProvider time)
{
    public int SecondsFor(JobRecord job)
    {
        var seconds = ProgressEstimate.TryRead(job.Progress, out var left)
            ? left / 2
            : (int)Math.Ceiling((time.GetUtcNow() - job.CreatedAt).TotalSeconds / 10);
        return Math.Clamp(seconds, options.Value.RetryAfterSeconds, options.Value.MaxRetryAfterSeconds);
    }
}
