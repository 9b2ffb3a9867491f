using System.Buffers;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The resources of one page that will be written, kept as positions only until the whole page has validated.
/// Pooled because a page can hold thousands of entries and an export reads thousands of pages.
/// </summary>
internal sealed class ResourceSliceList : IDisposable
{
    // Enough for the default _count of most FHIR servers without growing.
    private const int InitialCapacity = 256;

    private ResourceSlice[] _items = ArrayPool<ResourceSlice>.Shared.Rent(InitialCapacity);

    public int Count { get; private set; }

    public ResourceSlice this[int index] => _items[index];

    public void Add(ResourceSlice slice)
    {
        if (Count == _items.Length)
        {
            var larger = ArrayPool<ResourceSlice>.Shared.Rent(_items.Length * 2);
            Array.Copy(_items, larger, Count);
            Return(_items);
            _items = larger;
        }
        _items[Count++] = slice;
    }

    public void Dispose()
    {
        Return(_items);
        _items = [];
        Count = 0;
    }

    // Cleared on return: a SequencePosition holds a pipe segment, which must not stay reachable from the shared pool.
    private static void Return(ResourceSlice[] items)
    {
        if (items.Length > 0)
        {
            ArrayPool<ResourceSlice>.Shared.Return(items, clearArray: true);
        }
    }
}
