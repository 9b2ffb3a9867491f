using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// System-level `_history`: the changes of every type, one type after the other in a fixed order (the cursor's part is
/// the type's index), so paging is stable while types are written to. Generated data has no history; only stored
/// changes (creates, updates, deletes) appear, as in a server that was loaded before its history began.
/// </summary>
internal sealed class SystemHistoryCollector(ResourceStore store)
{
    public PageCursor? Collect(IReadOnlyList<string> types, long sinceMs, PageCursor from, int count, List<ResourceVersion> items, out long total)
    {
        total = 0;
        PageCursor? next = null;
        lock (store.Gate)
        {
            for (var part = 0; part < types.Count; part++)
            {
                if (store.OverlayOf(types[part]) is not { } overlay)
                {
                    continue;
                }
                var start = overlay.FirstChangeAtOrAfter(sinceMs);
                total += overlay.Changes.Count - start;
                if (part < from.Part || next is not null)
                {
                    continue;
                }
                var position = part == from.Part ? Math.Max(start, from.Position) : start;
                for (var seq = (int)Math.Min(position, overlay.Changes.Count); seq < overlay.Changes.Count; seq++)
                {
                    if (items.Count == count)
                    {
                        next = new PageCursor(part, PageCursor.StoredSegment, seq);
                        break;
                    }
                    items.Add(overlay.Changes[seq]);
                }
            }
        }
        return next;
    }
}
