using AsyncFacade.SampleUpstream.Generation;

namespace AsyncFacade.SampleUpstream.Store;

/// <summary>Outcome of a read: a generated resource (type + index), a stored version, or not there.</summary>
internal readonly record struct ReadResult(ReadStatus Status, GeneratedType? Generated, long Index, ResourceVersion? Stored)
{
    public static readonly ReadResult NotFound = new(ReadStatus.NotFound, null, -1, null);

    public int VersionId => Stored?.VersionId ?? 1;

    public long LastUpdatedMs => Stored?.LastUpdatedMs ?? Generated!.LastUpdatedMs(Index);
}
