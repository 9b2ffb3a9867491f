namespace AsyncFacade.Server.Import;

/// <summary>How long to wait before retrying a request: the server's Retry-After when it gives one, else 1, 2, 4… s.</summary>
internal static class RetryDelay
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    public static TimeSpan Of(HttpResponseMessage? response, int attempt)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        var delay = asked is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
        return delay < Max ? delay : Max;
    }
}
