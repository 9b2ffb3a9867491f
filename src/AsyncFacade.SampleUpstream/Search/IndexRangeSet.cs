namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// Sorted, disjoint ranges of generated indices that a search can match. Every supported filter narrows to
/// ranges (lastUpdated by binary search, patient by its contiguous block, _id by single indices), so paging
/// and counting never scan the whole type.
/// </summary>
internal sealed class IndexRangeSet
{
    public static readonly IndexRangeSet Empty = new([]);

    private IndexRangeSet(IndexRange[] ranges) => Ranges = ranges;

    public IReadOnlyList<IndexRange> Ranges { get; }

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var range in Ranges)
            {
                total += range.Length;
            }
            return total;
        }
    }

    public static IndexRangeSet Single(long start, long end) => start < end ? new([new IndexRange(start, end)]) : Empty;

    /// <summary>Union of possibly overlapping, unsorted ranges.</summary>
    public static IndexRangeSet Union(List<IndexRange> ranges)
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<IndexRange>(ranges.Count);
        foreach (var range in ranges)
        {
            if (range.Length <= 0)
            {
                continue;
            }
            if (merged.Count > 0 && merged[^1].End >= range.Start)
            {
                var last = merged[^1];
                merged[^1] = last with { End = Math.Max(last.End, range.End) };
            }
            else
            {
                merged.Add(range);
            }
        }
        return merged.Count == 0 ? Empty : new([.. merged]);
    }

    public IndexRangeSet Intersect(IndexRangeSet other)
    {
        var result = new List<IndexRange>();
        int i = 0, j = 0;
        while (i < Ranges.Count && j < other.Ranges.Count)
        {
            var a = Ranges[i];
            var b = other.Ranges[j];
            var start = Math.Max(a.Start, b.Start);
            var end = Math.Min(a.End, b.End);
            if (start < end)
            {
                result.Add(new IndexRange(start, end));
            }
            if (a.End < b.End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return result.Count == 0 ? Empty : new([.. result]);
    }

    public bool Contains(long index)
    {
        var at = FirstEndingAfter(index);
        return at < Ranges.Count && Ranges[at].Start <= index;
    }

    /// <summary>Position of the first range whose End is greater than <paramref name="index"/> (binary search).</summary>
    public int FirstEndingAfter(long index)
    {
        int low = 0, high = Ranges.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (Ranges[mid].End > index)
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
