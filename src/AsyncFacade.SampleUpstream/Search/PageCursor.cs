namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// Where the next page starts: which search part (one per type in <c>$everything</c>), which segment
/// (0 = generated, 1 = stored changes) and the position in it (generated index or change sequence).
/// </summary>
internal readonly record struct PageCursor(int Part, int Segment, long Position)
{
    public const int GeneratedSegment = 0;
    public const int StoredSegment = 1;

    public static readonly PageCursor Start = new(0, GeneratedSegment, 0);
}
