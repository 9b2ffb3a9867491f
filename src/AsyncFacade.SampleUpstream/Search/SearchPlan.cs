using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// What one search over one type matches: a set of generated index ranges plus a predicate for stored
/// (created/updated) resources. Filters are applied by narrowing both sides the same way.
/// </summary>
internal sealed class SearchPlan
{
    public SearchPlan(string resourceType, GeneratedType? generated)
    {
        ResourceType = resourceType;
        Generated = generated;
        GeneratedRanges = generated is null ? IndexRangeSet.Empty : IndexRangeSet.Single(0, generated.Count);
    }

    public string ResourceType { get; }

    public GeneratedType? Generated { get; }

    public IndexRangeSet GeneratedRanges { get; private set; }

    /// <summary>Inclusive lower bound of meta.lastUpdated in Unix milliseconds.</summary>
    public long FromMs { get; private set; } = long.MinValue;

    /// <summary>Exclusive upper bound of meta.lastUpdated in Unix milliseconds.</summary>
    public long ToMs { get; private set; } = long.MaxValue;

    private HashSet<string>? Ids { get; set; }

    private HashSet<string>? PatientIds { get; set; }

    public bool Matches(ResourceVersion version) =>
        version.LastUpdatedMs >= FromMs && version.LastUpdatedMs < ToMs
        && (Ids is null || Ids.Contains(version.Id))
        && (PatientIds is null || (version.PatientId is not null && PatientIds.Contains(version.PatientId)));

    public void RestrictLastUpdated(long fromMs, long toMs)
    {
        FromMs = Math.Max(FromMs, fromMs);
        ToMs = Math.Min(ToMs, toMs);
        if (Generated is not null)
        {
            // Clamp before the binary search so extreme dates cannot overflow the index arithmetic.
            var from = Generated.FirstIndexAtOrAfter(Math.Clamp(FromMs, FhirInstant.WindowStartMs - 1, FhirInstant.WindowEndMs + 1));
            var to = Generated.FirstIndexAtOrAfter(Math.Clamp(ToMs, FhirInstant.WindowStartMs - 1, FhirInstant.WindowEndMs + 1));
            GeneratedRanges = GeneratedRanges.Intersect(IndexRangeSet.Single(from, to));
        }
    }

    public void RestrictIds(IReadOnlyCollection<string> ids)
    {
        Ids = Narrow(Ids, ids);
        var indices = new List<IndexRange>();
        if (Generated is not null)
        {
            foreach (var id in Ids)
            {
                if (Generated.TryParseId(id, out var index))
                {
                    indices.Add(new IndexRange(index, index + 1));
                }
            }
        }
        GeneratedRanges = GeneratedRanges.Intersect(IndexRangeSet.Union(indices));
    }

    /// <summary>Keeps resources in the compartment of one of <paramref name="patientIds"/> (the patient/subject search parameters).</summary>
    public void RestrictPatients(IReadOnlyCollection<string> patientIds, GeneratedType patients)
    {
        PatientIds = Narrow(PatientIds, patientIds);
        var blocks = new List<IndexRange>();
        if (Generated is { PerPatient: > 0 })
        {
            foreach (var id in PatientIds)
            {
                if (patients.TryParseId(id, out var patient))
                {
                    var (start, end) = Generated.PatientBlock(patient);
                    blocks.Add(new IndexRange(start, end));
                }
            }
        }
        GeneratedRanges = GeneratedRanges.Intersect(IndexRangeSet.Union(blocks));
    }

    private static HashSet<string> Narrow(HashSet<string>? current, IReadOnlyCollection<string> values)
    {
        var next = new HashSet<string>(values, StringComparer.Ordinal);
        if (current is not null)
        {
            next.IntersectWith(current);
        }
        return next;
    }
}
