using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>One entry of a page: either a generated resource (type + index) or a stored version.</summary>
internal readonly record struct PageItem(GeneratedType? Generated, long Index, ResourceVersion? Stored)
{
    public static PageItem Of(GeneratedType generated, long index) => new(generated, index, null);

    public static PageItem Of(ResourceVersion stored) => new(null, -1, stored);

    public string ResourceType => Stored?.ResourceType ?? Generated!.ResourceType;
}
