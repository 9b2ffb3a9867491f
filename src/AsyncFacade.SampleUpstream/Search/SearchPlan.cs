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

    /// <summary>Filters that look inside resources (a token search): one test for generated indices, one for stored versions.</summary>
    private List<(Func<long, bool> Generated, Func<ResourceVersion, bool> Stored)> Filters { get; } = [];

    public bool Matches(ResourceVersion version) =>
        version.LastUpdatedMs >= FromMs && version.LastUpdatedMs < ToMs
        && (Ids is null || Ids.Contains(version.Id))
        && (PatientIds is null || (version.PatientId is not null && PatientIds.Contains(version.PatientId)))
        && (version.Json is null || Filters.TrueForAll(f => f.Stored(version)));

    /// <summary>Keeps the resources both tests accept; applied to the generated ranges by <see cref="ApplyFilters"/>.</summary>
    public void RestrictWhere(Func<long, bool> generated, Func<ResourceVersion, bool> stored) => Filters.Add((generated, stored));

    /// <summary>
    /// Narrows the generated ranges by the filters, once every range restriction is in: each index left is tested, so a
    /// filtered search costs one test per resource the other parameters leave (cheap within a patient, a pass over the
    /// type without one). Generated data has no cheaper index for values inside resources.
    /// </summary>
    public void ApplyFilters()
    {
        if (Filters.Count == 0)
        {
            return;
        }
        var kept = new List<IndexRange>();
        foreach (var range in GeneratedRanges.Ranges)
        {
            var start = -1L;
            for (var index = range.Start; index < range.End; index++)
            {
                var matches = Filters.TrueForAll(f => f.Generated(index));
                if (matches && start < 0)
                {
                    start = index;
                }
                else if (!matches && start >= 0)
                {
                    kept.Add(new IndexRange(start, index));
                    start = -1;
                }
            }
            if (start >= 0)
            {
                kept.Add(new IndexRange(start, range.End));
            }
        }
        GeneratedRanges = IndexRangeSet.Union(kept);
    }

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
