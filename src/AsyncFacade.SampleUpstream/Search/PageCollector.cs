using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// Collects one page of matches under the store lock, starting at a cursor. Generated resources come first
/// in index order (skipping those the overlay replaced), then live stored versions in change order. Both
/// orders are append-only, so concurrent writes never make a page repeat or skip an existing entry.
/// </summary>
internal sealed class PageCollector(ResourceStore store)
{
    /// <summary>Fills <paramref name="items"/> with up to <paramref name="count"/> matches; returns where the next page starts, or null when none is left.</summary>
    public PageCursor? Collect(IReadOnlyList<SearchPlan> parts, PageCursor from, int count, List<PageItem> items)
    {
        if (count <= 0)
        {
            return null;
        }
        lock (store.Gate)
        {
            for (var part = from.Part; part < parts.Count; part++)
            {
                var plan = parts[part];
                var overlay = store.OverlayOf(plan.ResourceType);
                var resume = part == from.Part;
                var segment = resume ? from.Segment : PageCursor.GeneratedSegment;
                var position = resume ? from.Position : 0;
                if (segment == PageCursor.GeneratedSegment)
                {
                    var next = CollectGenerated(plan, overlay, position, count, items);
                    if (next >= 0)
                    {
                        return new PageCursor(part, PageCursor.GeneratedSegment, next);
                    }
                    position = 0;
                }
                var nextChange = CollectStored(plan, overlay, position, count, items);
                if (nextChange >= 0)
                {
                    return new PageCursor(part, PageCursor.StoredSegment, nextChange);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Where the match number <paramref name="offset"/> (0-based, in page order) is now, for offset paging; null when
    /// there are no more matches. Computed from the live view on every request, so a write between two pages shifts
    /// the rows after it, as real offset paging does.
    /// </summary>
    public PageCursor? Seek(IReadOnlyList<SearchPlan> parts, long offset)
    {
        lock (store.Gate)
        {
            var remaining = offset;
            for (var part = 0; part < parts.Count; part++)
            {
                var plan = parts[part];
                var overlay = store.OverlayOf(plan.ResourceType);
                foreach (var range in plan.GeneratedRanges.Ranges)
                {
                    var overridden = OverriddenIn(overlay, range);
                    var live = range.Length - overridden.Count;
                    if (remaining < live)
                    {
                        // Step over every overridden index at or before the target: each one pushes it one further.
                        var index = range.Start + remaining;
                        foreach (var skipped in overridden)
                        {
                            if (skipped <= index)
                            {
                                index++;
                            }
                        }
                        return new PageCursor(part, PageCursor.GeneratedSegment, index);
                    }
                    remaining -= live;
                }
                if (overlay is null)
                {
                    continue;
                }
                var changes = overlay.Changes;
                for (var seq = StartOf(plan, overlay, 0); seq < changes.Count && changes[seq].LastUpdatedMs < plan.ToMs; seq++)
                {
                    if (overlay.IsLive(changes[seq]) && plan.Matches(changes[seq]) && remaining-- == 0)
                    {
                        return new PageCursor(part, PageCursor.StoredSegment, seq);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>meta.lastUpdated of the match a cursor points at (Medplum's cursor check compares it with the page's first).</summary>
    public long LastUpdatedAt(IReadOnlyList<SearchPlan> parts, PageCursor cursor)
    {
        var plan = parts[cursor.Part];
        if (cursor.Segment == PageCursor.GeneratedSegment)
        {
            return plan.Generated!.LastUpdatedMs(cursor.Position);
        }
        lock (store.Gate)
        {
            return store.OverlayOf(plan.ResourceType)!.Changes[(int)cursor.Position].LastUpdatedMs;
        }
    }

    /// <summary>Exact number of matches (for <c>_total=accurate</c>): range arithmetic plus one pass over the changes.</summary>
    public long Count(SearchPlan plan)
    {
        lock (store.Gate)
        {
            var total = plan.GeneratedRanges.Count;
            var overlay = store.OverlayOf(plan.ResourceType);
            if (overlay is null)
            {
                return total;
            }
            foreach (var index in overlay.OverriddenGenerated)
            {
                if (plan.GeneratedRanges.Contains(index))
                {
                    total--;
                }
            }
            var changes = overlay.Changes;
            for (var seq = StartOf(plan, overlay, 0); seq < changes.Count && changes[seq].LastUpdatedMs < plan.ToMs; seq++)
            {
                if (overlay.IsLive(changes[seq]) && plan.Matches(changes[seq]))
                {
                    total++;
                }
            }
            return total;
        }
    }

    /// <summary>Every change (creates, updates, deletes) at or after <paramref name="sinceMs"/>, oldest first.</summary>
    public long? CollectHistory(string resourceType, long sinceMs, long fromSequence, int count, List<ResourceVersion> items, out long total)
    {
        lock (store.Gate)
        {
            total = 0;
            var overlay = store.OverlayOf(resourceType);
            if (overlay is null)
            {
                return null;
            }
            var start = overlay.FirstChangeAtOrAfter(sinceMs);
            total = overlay.Changes.Count - start;
            for (var seq = (int)Math.Min(Math.Max(start, fromSequence), overlay.Changes.Count); seq < overlay.Changes.Count; seq++)
            {
                if (items.Count == count)
                {
                    return seq;
                }
                items.Add(overlay.Changes[seq]);
            }
            return null;
        }
    }

    private static long CollectGenerated(SearchPlan plan, TypeOverlay? overlay, long position, int count, List<PageItem> items)
    {
        if (plan.Generated is not { } generated)
        {
            return -1;
        }
        var ranges = plan.GeneratedRanges.Ranges;
        var overridden = overlay is { OverriddenGenerated.Count: > 0 } ? overlay.OverriddenGenerated : null;
        for (var r = plan.GeneratedRanges.FirstEndingAfter(position); r < ranges.Count; r++)
        {
            for (var index = Math.Max(ranges[r].Start, position); index < ranges[r].End; index++)
            {
                if (overridden is not null && overridden.Contains(index))
                {
                    continue;
                }
                if (items.Count == count)
                {
                    return index;
                }
                items.Add(PageItem.Of(generated, index));
            }
        }
        return -1;
    }

    private static long CollectStored(SearchPlan plan, TypeOverlay? overlay, long position, int count, List<PageItem> items)
    {
        if (overlay is null)
        {
            return -1;
        }
        var changes = overlay.Changes;
        for (var seq = StartOf(plan, overlay, position); seq < changes.Count && changes[seq].LastUpdatedMs < plan.ToMs; seq++)
        {
            var version = changes[seq];
            if (!overlay.IsLive(version) || !plan.Matches(version))
            {
                continue;
            }
            if (items.Count == count)
            {
                return seq;
            }
            items.Add(PageItem.Of(version));
        }
        return -1;
    }

    private static List<long> OverriddenIn(TypeOverlay? overlay, IndexRange range)
    {
        var found = new List<long>();
        if (overlay is { OverriddenGenerated.Count: > 0 })
        {
            foreach (var index in overlay.OverriddenGenerated)
            {
                if (index >= range.Start && index < range.End)
                {
                    found.Add(index);
                }
            }
            found.Sort();
        }
        return found;
    }

    private static int StartOf(SearchPlan plan, TypeOverlay overlay, long position)
    {
        var first = plan.FromMs == long.MinValue ? 0 : overlay.FirstChangeAtOrAfter(plan.FromMs);
        return (int)Math.Min(Math.Max(first, position), overlay.Changes.Count);
    }
}
