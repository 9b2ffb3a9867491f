namespace AsyncFacade.Server.Import;

/// <summary>What a batch answer establishes about one entry (see <see cref="EntryVerdict"/>).</summary>
internal enum EntryState
{
    Written,
    Failed,
    Unknown,
}
