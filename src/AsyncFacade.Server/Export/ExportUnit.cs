namespace AsyncFacade.Server.Export;

/// <summary>
/// One independent piece of an export, run as a job of its own: one type's searches, or a time slice or a batch of
/// patients of a large type. Self-contained, so a unit runs (and resumes) on any node without its parent's help.
/// </summary>
/// <param name="Searches">First-page URLs relative to the upstream base; paged one after another.</param>
/// <param name="FileStem">Its files are `{FileStem}-1.ndjson`, `{FileStem}-2.ndjson`…: the type, plus the part when the type is split.</param>
/// <param name="Elements">The kick-off's `_elements`.</param>
/// <param name="DropDuplicates">The searches overlap (ORed `_typeFilter` queries): a resource seen before is skipped.</param>
/// <param name="Expected">How many resources the upstream counted for it at planning, when it can count.</param>
/// <param name="BlockSearches">
/// `organizeOutputBy=Patient`: the unit pages Patients (its searches) and writes a block per patient: a header, the
/// Patient, then the results of each of these searches (each ends in `patient=`, the id is appended). Null otherwise.
/// </param>
public sealed record ExportUnit(int Index, string Type, IReadOnlyList<string> Searches, string FileStem, IReadOnlyList<string> Elements,
    bool DropDuplicates, long? Expected, IReadOnlyList<string>? BlockSearches = null)
{
    /// <summary>How its searches are paged and counted, from the upstream's CapabilityStatement; null: follow links, no count.</summary>
    public Paging.UnitPaging? Paging { get; init; }

    /// <summary>Its searches carry a `_typeFilter` query: a refusal may be the filter's fault, not the type's.</summary>
    public bool Filtered { get; init; }
}

/// <summary>A unit job's checkpoint: its definition, and how far it got (saved after every page).</summary>
public sealed record ExportUnitCheckpoint(ExportUnit Unit, TypeCheckpoint Position);

/// <summary>
/// The export job's checkpoint once planned: the units (fixed before any unit exists, so a resumed run never plans
/// again), the plan's own error lines, how many units have been handed to Hangfire, the `_since` history to read,
/// and, for `allowPartialManifests`, the order in which the export saw its units finish (manifest pages follow it).
/// </summary>
public sealed record ExportState(IReadOnlyList<ExportUnit> Units, IReadOnlyList<string> Errors, int Submitted,
    IReadOnlyList<string>? DeletedTypes = null, DateTimeOffset? Since = null, bool PartialManifests = false, IReadOnlyList<int>? Finished = null)
{
    /// <summary>`organizeOutputBy`: the files hold resource blocks of this type (Patient), not one type each.</summary>
    public string? OrganizedBy { get; init; }

    /// <summary>
    /// Of <see cref="DeletedTypes"/>, those whose `history-type` the CapabilityStatement lists (read at planning, so the
    /// finish need not ask again). Null in a plan saved before this existed, whose DeletedTypes held only those types.
    /// </summary>
    public IReadOnlyList<string>? TypeHistoryTypes { get; init; }
}
