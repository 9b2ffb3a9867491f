using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// What the upstream says it can search, read once per export from its CapabilityStatement: which types exist and
/// which of them are in the patient compartment (they have a `patient` search parameter). Real servers reject
/// unknown parameters with 400, so the export asks only what is advertised (DESIGN: "What real upstream servers do").
/// </summary>
/// <param name="SortTypes">Types whose searches list `_sort` (at rest or type level): sorted by `_lastUpdated` with no fallback.</param>
/// <param name="SummaryCountTypes">Types whose searches take `_summary` (listed): counted with `_summary=count`.</param>
internal sealed record UpstreamCapabilities(IReadOnlySet<string> SearchableTypes, IReadOnlySet<string> PatientCompartmentTypes, IReadOnlySet<string> HistoryTypes,
    IReadOnlySet<string> TotalTypes, IReadOnlySet<string>? SortTypes = null, IReadOnlySet<string>? SummaryCountTypes = null)
{
    /// <summary>
    /// Search parameters each type advertises (with those of `rest.searchParam`, which apply to every type), less those
    /// marked with the Bulk Data `operation-not-supported` extension. A type with no entry advertised none: unknown.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> SearchParameters { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    private const string OperationNotSupported = "http://hl7.org/fhir/uv/bulkdata/StructureDefinition/operation-not-supported";

    /// <summary>How units of <paramref name="type"/> page and verify their searches.</summary>
    public Paging.UnitPaging PagingFor(string type) =>
        new(true, SortTypes?.Contains(type) == true, TotalTypes.Contains(type), SummaryCountTypes?.Contains(type) == true);

    public static async Task<UpstreamCapabilities> ReadAsync(UpstreamClient upstream, CancellationToken cancellationToken)
    {
        using var answer = await upstream.GetJsonAsync("metadata", cancellationToken);
        var statement = answer.Json?.RootElement.Deserialize<CapabilityStatement>(FhirJson.Lenient)
            ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Transient,
                $"The upstream's CapabilityStatement could not be read ({answer.Problem ?? "it is empty"}); try again later."), "upstream metadata unavailable");

        var searchable = new SortedSet<string>(StringComparer.Ordinal);
        var compartment = new SortedSet<string>(StringComparer.Ordinal);
        var history = new SortedSet<string>(StringComparer.Ordinal);
        var totals = new SortedSet<string>(StringComparer.Ordinal);
        var sorts = new SortedSet<string>(StringComparer.Ordinal);
        var summaries = new SortedSet<string>(StringComparer.Ordinal);
        var restTotal = statement.Rest.Any(r => r.SearchParam.Any(p => p.Name == "_total"));
        var parameters = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var common = statement.Rest.SelectMany(r => r.SearchParam).ToList();
        // `_sort` and `_summary` are result parameters; servers that take them list them like search parameters, at either level.
        var restSort = statement.Rest.Any(r => r.SearchParam.Any(p => p.Name == "_sort"));
        var restSummary = statement.Rest.Any(r => r.SearchParam.Any(p => p.Name == "_summary"));
        foreach (var resource in statement.Rest.Where(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server).SelectMany(r => r.Resource))
        {
            var type = resource.Type;
            if (string.IsNullOrEmpty(type) || !ModelInfo.IsKnownResource(type))
            {
                continue;
            }
            // No interaction list at all: assume search works (some servers list only types).
            if (resource.Interaction.Count == 0 || resource.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType))
            {
                searchable.Add(type);
            }
            // `_total=accurate` only where advertised: a strict upstream answers unknown parameters with 400.
            if (restTotal || resource.SearchParam.Any(p => p.Name == "_total"))
            {
                totals.Add(type);
            }
            if (restSort || resource.SearchParam.Any(p => p.Name == "_sort"))
            {
                sorts.Add(type);
            }
            if (restSummary || resource.SearchParam.Any(p => p.Name == "_summary"))
            {
                summaries.Add(type);
            }
            if (resource.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.HistoryType))
            {
                history.Add(type);
            }
            if (type == "Patient" || resource.SearchParam.Any(p => p.Name == "patient"))
            {
                compartment.Add(type);
            }
            if (resource.SearchParam.Count + common.Count > 0)
            {
                parameters[type] = resource.SearchParam.Concat(common)
                    .Where(p => !string.IsNullOrEmpty(p.Name) && !p.Extension.Any(e => e.Url == OperationNotSupported))
                    .Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
            }
        }
        return new UpstreamCapabilities(searchable, compartment, history, totals, sorts, summaries) { SearchParameters = parameters };
    }
}
