namespace AsyncFacade.SampleUpstream.Store;

/// <summary>
/// One stored version of a created, updated or deleted resource. Immutable once appended, so a page collected
/// under the store lock can be written out after the lock is released.
/// </summary>
/// <param name="Json">The resource as UTF-8 JSON with id and meta already rewritten; null for a delete (tombstone).</param>
/// <param name="Method">The interaction that produced it (POST, PUT or DELETE), reported by <c>_history</c>.</param>
/// <param name="GeneratedIndex">Index of the generated resource this overrides, or -1.</param>
/// <param name="PatientId">The patient whose compartment it is in (the <c>subject</c>/<c>patient</c> reference, or its own id for a Patient).</param>
/// <param name="Previous">The version before it, for vread; null when it is the first stored version.</param>
internal sealed record ResourceVersion(
    string ResourceType,
    string Id,
    int VersionId,
    long LastUpdatedMs,
    byte[]? Json,
    string Method,
    long GeneratedIndex,
    string? PatientId,
    ResourceVersion? Previous)
{
    public bool IsDeleted => Json is null;

    /// <summary>True when the version before this one did not exist or was deleted (answers 201 rather than 200).</summary>
    public bool IsCreation { get; init; }
}
