namespace AsyncFacade.Server.Upstream;

/// <summary>
/// How long one upstream call may keep retrying: at most <see cref="UpstreamOptions.MaxRetries"/> retries and
/// <see cref="UpstreamOptions.RetryBudgetSeconds"/> of waiting between them. The wait before a retry is the
/// server's Retry-After (seconds or HTTP date) when it gives one, else a back-off doubling from
/// <see cref="UpstreamOptions.RetryDelayMilliseconds"/> with jitter (1, 2, 4… s by default); a wait that does not
/// fit in what is left ends the retrying at once, so a `Retry-After: 3600` fails fast instead of hanging a job.
/// </summary>
internal sealed class RetryBudget(int maxRetries, TimeSpan budget, TimeSpan firstBackoff)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private int retries;
    private TimeSpan waited;

    public RetryBudget(UpstreamOptions options)
        : this(options.MaxRetries, TimeSpan.FromSeconds(options.RetryBudgetSeconds), TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds))
    {
    }

    public int Retries => retries;

    /// <summary>The wait before the next retry, or null when the budget does not allow one.</summary>
    public TimeSpan? Next(HttpResponseMessage? response, TimeProvider time)
    {
        var delay = RetryAfter(response, time) ?? Backoff(retries + 1);
        if (retries >= maxRetries || waited + delay > budget)
        {
            return null;
        }
        retries++;
        waited += delay;
        return delay;
    }

    /// <summary>Takes the next retry's wait and waits it; false when the budget is spent.</summary>
    public async Task<bool> WaitAsync(HttpResponseMessage? response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Next(response, time) is not { } delay)
        {
            return false;
        }
        await Task.Delay(delay, time, cancellationToken);
        return true;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        return asked is { } wait ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : null;
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = firstBackoff * (Math.Pow(2, Math.Min(attempt - 1, 10)) * (0.8 + (0.4 * Random.Shared.NextDouble())));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
