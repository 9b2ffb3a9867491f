using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Plans an export as independent units: one per type, a large type split into `_lastUpdated` time slices (when the
/// upstream can count) or batches of patients, so the pieces of one big type run in parallel too.
/// </summary>
internal sealed class ExportPlanner(UpstreamClient upstream, TimeSlicer slicer, IOptions<ExportOptions> options)
{
    public async Task<ExportState> PlanAsync(ExportRequest request, DateTimeOffset transactionTime, CancellationToken cancellationToken)
    {
        var capabilities = await UpstreamCapabilities.ReadAsync(upstream, cancellationToken);
        var types = ExportPlan.Types(request, capabilities);
        var patients = await PatientsAsync(request, cancellationToken);
        var (after, upTo) = ExportPlan.Window(request, transactionTime);
        var pageSize = options.Value.PageSize;

        var units = new List<ExportUnit>();
        foreach (var type in types)
        {
            var filters = ExportPlan.Filters(type, request);
            ExportUnit Unit(IReadOnlyList<string> searches, int part, long? expected) =>
                new(units.Count, type, searches, part == 0 ? type : $"{type}-part{part}", request.Elements, filters.Count > 1, expected);

            if (patients is not null)
            {
                var searches = filters.SelectMany(filter => ExportPlan.PatientScopes(type, patients, options.Value.PatientBatchSize)
                    .Select(scope => ExportPlan.Search(type, Join(scope, filter), after, upTo, pageSize))).ToList();
                // A big group runs in parallel parts of at least ~10 patient batches each; ORed filters stay together (duplicates).
                var parts = Split(searches, filters.Count > 1 ? 1 : Math.Clamp(searches.Count / 10, 1, options.Value.MaxParallelism));
                units.AddRange(parts.Select((part, i) => Unit(part, parts.Count == 1 ? 0 : i + 1, null)));
            }
            else if (filters.Count > 1 || !capabilities.TotalTypes.Contains(type))
            {
                units.Add(Unit(filters.Select(filter => ExportPlan.Search(type, filter, after, upTo, pageSize)).ToList(), 0, null));
            }
            else
            {
                var slices = await slicer.SliceAsync(type, filters[0], after, upTo, cancellationToken);
                units.AddRange(slices.Select((slice, i) =>
                    Unit([ExportPlan.Search(type, filters[0], slice.After, slice.UpTo, pageSize)], slices.Count == 1 ? 0 : i + 1, slice.Count)));
            }
        }

        var errors = new List<string>();
        foreach (var type in request.Types.Where(t => !types.Contains(t)))
        {
            errors.Add(ExportErrors.Line(type, capabilities.SearchableTypes.Contains(type)
                ? $"{type} is not in the patient compartment (the upstream has no `patient` search for it); a {request.Level.ToString().ToLowerInvariant()}-level export leaves it out."
                : $"The upstream server does not support searching {type}; it was not exported."));
        }
        if (request.IncludeAssociatedData.Count > 0)
        {
            // Accepted so standard clients are not refused, and said plainly in the manifest's error file.
            errors.Add(FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.NotSupported,
                $"includeAssociatedData ({string.Join(", ", request.IncludeAssociatedData)}) is not supported by this server; no associated data was exported.",
                OperationOutcome.IssueSeverity.Information, "includeAssociatedData")));
        }
        var deletedTypes = request.Since is null ? null : types.Where(capabilities.HistoryTypes.Contains).ToList();
        return new ExportState(units, errors, 0, deletedTypes, request.Since);
    }

    private static string Join(string scope, string filter) => filter.Length == 0 ? scope : scope + "&" + filter;

    /// <summary>Consecutive runs of searches, at most <paramref name="parts"/> of them.</summary>
    private static List<IReadOnlyList<string>> Split(List<string> searches, int parts)
    {
        var size = Math.Max(1, (int)Math.Ceiling(searches.Count / (double)parts));
        return searches.Chunk(size).Select(chunk => (IReadOnlyList<string>)chunk).ToList();
    }

    /// <summary>The patients a patient- or group-level export is limited to; null when it covers every patient.</summary>
    private async Task<IReadOnlyList<string>?> PatientsAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var fromParameter = request.Patients.Select(p => p.Split('/')[^1]).ToList();
        if (request.Level != ExportLevel.Group)
        {
            return fromParameter.Count > 0 ? fromParameter : null;
        }

        using var response = await upstream.GetAsync("Group/" + Uri.EscapeDataString(request.GroupId!), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new JobFailedException(Outcomes.Create(
                response.StatusCode == System.Net.HttpStatusCode.NotFound ? OperationOutcome.IssueType.NotFound : OperationOutcome.IssueType.Transient,
                $"Group/{request.GroupId} could not be read from the upstream ({(int)response.StatusCode})."), "group unavailable");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var group = await JsonSerializer.DeserializeAsync<Group>(body, FhirJson.Lenient, cancellationToken);
        var members = (group?.Member ?? []).Select(m => m.Entity?.Reference).OfType<string>()
            .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..]).Distinct().ToList();
        // `patient` at group level narrows the group to those of its members.
        return fromParameter.Count > 0 ? members.Intersect(fromParameter).ToList() : members;
    }
}
