using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Spots clients polling much faster than the Retry-After they were given. A poll sooner than half the
/// interval is a strike; three in a row earn a 429. One poll that honours the interval clears the strikes,
/// so a client that respects Retry-After can never be throttled (common bulk clients treat a 429 as fatal).
/// Per node, in memory: a client spread over nodes is throttled later, never wrongly.
/// </summary>
public sealed class PollThrottle(IMemoryCache cache, IOptions<AsyncOptions> options, TimeProvider time)
{
    private const int StrikesBeforeThrottling = 3;
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(15);

    /// <returns>Seconds the client must still wait when it is throttled; null when the poll may be answered.</returns>
    public int? Check(string jobId, string client)
    {
        if (!options.Value.ThrottleOverPolling || !cache.TryGetValue(Key(jobId, client), out PollState? state) || state is null)
        {
            return null;
        }
        lock (state)
        {
            var sinceLast = time.GetUtcNow() - state.LastPoll;
            if (sinceLast.TotalSeconds * 2 >= state.RetryAfter)
            {
                state.Strikes = 0;
                return null;
            }
            state.Strikes++;
            return state.Strikes >= StrikesBeforeThrottling ? Math.Max(1, (int)Math.Ceiling(state.RetryAfter - sinceLast.TotalSeconds)) : null;
        }
    }

    /// <summary>Records that the client was answered and told to wait <paramref name="retryAfter"/> seconds.</summary>
    public void Answered(string jobId, string client, int retryAfter)
    {
        var state = cache.GetOrCreate(Key(jobId, client), entry =>
        {
            entry.SlidingExpiration = Forget;
            return new PollState();
        })!;
        lock (state)
        {
            state.LastPoll = time.GetUtcNow();
            state.RetryAfter = retryAfter;
        }
    }

    private static string Key(string jobId, string client) => "poll:" + jobId + "|" + client;

    private sealed class PollState
    {
        public DateTimeOffset LastPoll { get; set; }

        public int RetryAfter { get; set; }

        public int Strikes { get; set; }
    }
}
