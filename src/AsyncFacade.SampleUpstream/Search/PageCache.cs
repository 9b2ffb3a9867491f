using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// The server-side searches behind HAPI-style <c>_getpages</c> links (<see cref="Profiles.PagingLinkStyle.PageCache"/>).
/// HAPI keeps the query's result in its database and deletes searches created more than
/// <c>expireSearchResultsAfterMillis</c> ago; here a search keeps its plan and is re-read from the live store on every
/// page (later writes can shift it, which HAPI's stored result list would not), and expires the same way, from its
/// creation. Bounded, so a client that never finishes its searches cannot grow the host without limit.
/// </summary>
internal sealed class PageCache(TimeProvider time, IOptions<SampleUpstreamOptions> options)
{
    private const int MaxSearches = 4096;

    private readonly ConcurrentDictionary<string, CachedSearch> searches = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();

    public CachedSearch Add(IReadOnlyList<SearchPlan> parts, bool total)
    {
        var search = new CachedSearch(Guid.NewGuid().ToString("D"), parts, total, time.GetUtcNow());
        searches[search.Id] = search;
        order.Enqueue(search.Id);
        while (order.Count > MaxSearches && order.TryDequeue(out var oldest))
        {
            searches.TryRemove(oldest, out _);
        }
        return search;
    }

    /// <summary>The search, or null when it is unknown or has expired (then it is forgotten).</summary>
    public CachedSearch? Find(string id)
    {
        if (!searches.TryGetValue(id, out var search))
        {
            return null;
        }
        if (options.Value.Paging.PageCacheSeconds is { } seconds && time.GetUtcNow() - search.Created >= TimeSpan.FromSeconds(seconds))
        {
            searches.TryRemove(id, out _);
            return null;
        }
        return search;
    }
}
