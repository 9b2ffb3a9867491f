namespace AsyncFacade.Client;

/// <summary>Why the client waits as long as it does before the next poll.</summary>
public enum DelaySource
{
    /// <summary>The server's Retry-After (seconds or HTTP-date).</summary>
    RetryAfter,

    /// <summary>Exponential back-off with jitter: the server gave no Retry-After.</summary>
    Backoff,

    /// <summary>The server held a `Prefer: wait` long poll, so the next one goes out at once.</summary>
    LongPoll,

    /// <summary>A callback is expected: polls are a slow safety net.</summary>
    Callback,

    /// <summary>A completion callback arrived, so the client polls now.</summary>
    CallbackReceived,
}
