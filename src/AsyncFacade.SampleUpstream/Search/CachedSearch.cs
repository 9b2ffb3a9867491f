namespace AsyncFacade.SampleUpstream.Search;

/// <summary>A search kept for <c>_getpages</c> links: what it matches, whether pages carry a total, and when it ran.</summary>
internal sealed record CachedSearch(string Id, IReadOnlyList<SearchPlan> Parts, bool Total, DateTimeOffset Created);
