namespace AsyncFacade.SampleUpstream.Search;

/// <summary>Generated indices [Start, End).</summary>
internal readonly record struct IndexRange(long Start, long End)
{
    public long Length => End - Start;
}
