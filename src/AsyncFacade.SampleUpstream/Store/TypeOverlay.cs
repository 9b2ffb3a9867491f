namespace AsyncFacade.SampleUpstream.Store;

/// <summary>
/// The changes to one resource type. Guarded by the store's lock; <see cref="Changes"/> is append-only, so a
/// position in it (the change sequence) is a stable cursor for search and history paging.
/// </summary>
internal sealed class TypeOverlay
{
    public Dictionary<string, ResourceVersion> Current { get; } = new(StringComparer.Ordinal);

    public List<ResourceVersion> Changes { get; } = [];

    /// <summary>Generated indices that have a stored version; generated paging skips them.</summary>
    public HashSet<long> OverriddenGenerated { get; } = [];

    /// <summary>A change is live when it is still the current version and not a delete.</summary>
    public bool IsLive(ResourceVersion version) =>
        !version.IsDeleted && Current.TryGetValue(version.Id, out var current) && ReferenceEquals(current, version);

    /// <summary>First change at or after <paramref name="unixMs"/>; the store's clock never goes back, so this is a binary search.</summary>
    public int FirstChangeAtOrAfter(long unixMs)
    {
        int low = 0, high = Changes.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (Changes[mid].LastUpdatedMs >= unixMs)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }
}
