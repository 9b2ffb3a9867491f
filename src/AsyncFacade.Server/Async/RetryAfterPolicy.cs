using AsyncFacade.Server.Jobs;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Adaptive polling interval: a job a few seconds old is polled every second, an hour-old one at the maximum.
/// A tenth of the job's age keeps the expected wasted wait under 10% whatever the job's length.
/// </summary>
public sealed class RetryAfterPolicy(IOptions<AsyncOptions> options, TimeProvider time)
{
    public int SecondsFor(JobRecord job)
    {
        var age = time.GetUtcNow() - job.CreatedAt;
        var seconds = (int)Math.Ceiling(age.TotalSeconds / 10);
        return Math.Clamp(seconds, options.Value.RetryAfterSeconds, options.Value.MaxRetryAfterSeconds);
    }
}
