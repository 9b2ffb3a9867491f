using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>One collected page, ready to write: searchset entries or history versions, with its links.</summary>
internal sealed record SearchPage(string BundleType, long? Total, string SelfUrl, string? NextUrl, List<PageItem> Matches, List<ResourceVersion> History);
