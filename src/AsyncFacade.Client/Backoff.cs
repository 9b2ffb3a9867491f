namespace AsyncFacade.Client;

/// <summary>Exponential back-off with jitter for when the server gives no Retry-After.</summary>
internal sealed class Backoff(FhirAsyncClientOptions options)
{
    private int attempt;

    public TimeSpan Next()
    {
        var seconds = Math.Min(options.InitialPollDelay.TotalSeconds * Math.Pow(options.BackoffMultiplier, attempt), options.MaxPollDelay.TotalSeconds);
        attempt = Math.Min(attempt + 1, 64);
        var spread = 1 + (Random.Shared.NextDouble() * 2 - 1) * options.Jitter;
        return TimeSpan.FromSeconds(Math.Clamp(seconds * spread, 0, options.MaxPollDelay.TotalSeconds));
    }

    public void Reset() => attempt = 0;
}
