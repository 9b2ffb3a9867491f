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
internal sealed class ExportPlanner(UpstreamClient upstream, TimeSlicer slicer, PatientBlockPlanner patientBlocks, TypeFilterCheck typeFilters, IOptions<ExportOptions> options)
{
    /// <param name="scopes">The caller's scopes when auth is on: the export is limited as <see cref="ExportAuthorization"/> says.</param>
    public async Task<ExportState> PlanAsync(ExportRequest request, DateTimeOffset transactionTime, Security.Scopes.SmartScopes? scopes,
        CancellationToken cancellationToken)
    {
        var capabilities = await UpstreamCapabilities.ReadAsync(upstream, cancellationToken);
        var blocks = request.OrganizeOutputBy == "Patient";
        // Patient blocks hold the patient compartment, whatever the level.
        var types = ExportPlan.Types(blocks ? request with { Level = ExportLevel.Patient } : request, capabilities);
        var errors = new List<string>();
        IReadOnlyList<string> scopeFiltered = [];
        if (scopes is not null)
        {
            (request, scopeFiltered) = await AuthorizeAsync(request, scopes, types, capabilities, errors, cancellationToken);
            types = ExportPlan.Types(blocks ? request with { Level = ExportLevel.Patient } : request, capabilities);
        }
        var patients = await PatientsAsync(request, cancellationToken);
        var (after, upTo) = ExportPlan.Window(request, transactionTime);
        if (blocks && request.Level == ExportLevel.System && request.Types.Count == 0)
        {
            errors.Add(FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Informational,
                "organizeOutputBy=Patient exports the patient compartment; resources of types outside it are left out.",
                OperationOutcome.IssueSeverity.Information, "organizeOutputBy")));
        }
        if (blocks)
        {
            var blockUnits = (await patientBlocks.PlanAsync(types, capabilities, patients, upTo, cancellationToken))
                .Select(unit => unit with { Paging = capabilities.PagingFor("Patient") }).ToList();
            return new ExportState(blockUnits, [.. errors, .. Excluded(request, types, capabilities)], 0, null, null, request.AllowPartialManifests, [])
            {
                OrganizedBy = "Patient",
            };
        }

        // Types are planned concurrently: counting is one small upstream request each (more for a type being sliced), and
        // servers advertise many types, most of them often empty. Measured: 146 types one after another took 4.7 s at 20 ms a request.
        var planned = new IReadOnlyList<Part>[types.Count];
        var counting = new ParallelOptions { MaxDegreeOfParallelism = 4 * options.Value.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, types.Count, counting,
            async (i, token) => planned[i] = await PlanTypeAsync(types[i], request, capabilities, patients, after, upTo, token));
        var units = new List<ExportUnit>();
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var dropDuplicates = ExportPlan.Filters(type, request).Count > 1;
            var filtered = request.TypeFilters.Any(f => f.Type == type);
            foreach (var (searches, part, expected) in planned[i])
            {
                var stem = planned[i].Count == 1 ? type : $"{type}-part{part}";
                units.Add(new ExportUnit(units.Count, type, searches, stem, request.Elements, dropDuplicates, expected)
                {
                    // A scope filter is never dropped by an upstream told to be lenient: that would hand out what the token may not read.
                    Paging = filtered ? capabilities.PagingFor(type) with { Prefer = request.Lenient && !scopeFiltered.Contains(type) ? "handling=lenient" : "handling=strict" } : capabilities.PagingFor(type),
                    Filtered = filtered,
                });
            }
        }

        errors.AddRange(Excluded(request, types, capabilities));
        if (request.Lenient && request.TypeFilters.Count > 0)
        {
            // Strict handling refused these at kick-off; lenient exports go on, and the manifest says what the filter did not do.
            // A filter the upstream refuses outright is not listed here: its unit fails on it and reports the upstream's reason.
            var problems = await typeFilters.FindProblemsAsync(request.TypeFilters, capabilities, lenient: true, cancellationToken);
            errors.AddRange(problems.Where(problem => problem.Parameter is not null).Select(problem =>
                ExportErrors.Line(problem.Filter.Type, OperationOutcome.IssueType.NotSupported,
                    problem.Describe() + $". Prefer: handling=lenient: {problem.Filter.Type} was exported without it, so it may hold resources the filter would have left out.",
                    OperationOutcome.IssueSeverity.Warning)));
        }
        if (request.IncludeAssociatedData.Count > 0)
        {
            // Accepted so standard clients are not refused, and said plainly in the manifest's error file.
            errors.Add(FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.NotSupported,
                $"includeAssociatedData ({string.Join(", ", request.IncludeAssociatedData)}) is not supported by this server; no associated data was exported.",
                OperationOutcome.IssueSeverity.Information, "includeAssociatedData")));
        }
        // Every type: where the upstream has no type history, the deletions come from its system history or are said to be unknown.
        var deletedTypes = request.Since is null ? null : types.ToList();
        return new ExportState(units, errors, 0, deletedTypes, request.Since, request.AllowPartialManifests, [])
        {
            TypeHistoryTypes = deletedTypes?.Where(capabilities.HistoryTypes.Contains).ToList(),
        };
    }

    /// <summary>
    /// The kick-off's scope check again, on the types the upstream lists now: types the token cannot read are left out
    /// (the kick-off refused them unless the client was lenient), and so are those whose scope filter the upstream cannot
    /// apply. Each gets an error line saying why.
    /// </summary>
    private async Task<(ExportRequest Request, IReadOnlyList<string> ScopeFiltered)> AuthorizeAsync(ExportRequest request, Security.Scopes.SmartScopes scopes,
        IReadOnlyList<string> types, UpstreamCapabilities capabilities, List<string> errors, CancellationToken cancellationToken)
    {
        var authorized = ExportAuthorization.Apply(request, scopes, types);
        if (authorized.Request is null)
        {
            throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Forbidden, authorized.Refusal!), "forbidden");
        }
        var severity = request.Lenient ? OperationOutcome.IssueSeverity.Warning : OperationOutcome.IssueSeverity.Error;
        errors.AddRange(authorized.LeftOut.Select(left => ExportErrors.Line(left.Type, OperationOutcome.IssueType.Forbidden,
            $"{left.Type} was left out of this export: the access token lacks {left.MissingScope}.", severity)));
        var narrowed = authorized.Request;
        var scopeFiltered = authorized.ScopeFiltered;
        if (scopeFiltered.Count > 0)
        {
            var problems = await typeFilters.FindProblemsAsync([.. narrowed.TypeFilters.Where(f => scopeFiltered.Contains(f.Type))], capabilities, lenient: false, cancellationToken);
            var unenforceable = problems.Select(p => p.Filter.Type).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(problems.GroupBy(p => p.Filter.Type).Select(g => ExportErrors.Line(g.Key, OperationOutcome.IssueType.Forbidden,
                $"{g.Key} was left out of this export: the token reads it only through a scope filter the upstream cannot apply ({g.First().Describe()}).")));
            if (unenforceable.Count > 0)
            {
                var remaining = ExportPlan.Types(narrowed, capabilities).Where(t => !unenforceable.Contains(t)).ToList();
                if (remaining.Count == 0)
                {
                    // An empty `_type` would mean every type: fail instead.
                    throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Forbidden,
                        "Every type this export includes is readable only through a scope filter the upstream cannot apply; nothing was exported."), "forbidden");
                }
                narrowed = narrowed with { Types = remaining, TypeFilters = [.. narrowed.TypeFilters.Where(f => !unenforceable.Contains(f.Type))] };
                scopeFiltered = [.. scopeFiltered.Where(t => !unenforceable.Contains(t))];
            }
        }
        return (narrowed, scopeFiltered);
    }

    /// <summary>Error lines for requested types the export leaves out.</summary>
    private static IEnumerable<string> Excluded(ExportRequest request, IReadOnlyList<string> types, UpstreamCapabilities capabilities) =>
        request.Types.Where(t => !types.Contains(t)).Select(type => ExportErrors.Line(type, OperationOutcome.IssueType.NotSupported, capabilities.SearchableTypes.Contains(type)
            ? $"{type} is not in the patient compartment (the upstream has no `patient` search for it); a {(request.OrganizeOutputBy is null ? request.Level.ToString().ToLowerInvariant() + "-level export" : "patient-organized export")} leaves it out."
            : $"The upstream server does not support searching {type}; it was not exported."));

    private sealed record Part(IReadOnlyList<string> Searches, int Number, long? Expected);

    /// <summary>The parts of one type: none when the upstream counts it empty, several when it is large.</summary>
    private async Task<IReadOnlyList<Part>> PlanTypeAsync(string type, ExportRequest request, UpstreamCapabilities capabilities,
        IReadOnlyList<string>? patients, DateTimeOffset? after, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var filters = ExportPlan.Filters(type, request);
        if (patients is not null)
        {
            var searches = filters.SelectMany(filter => ExportPlan.PatientScopes(type, patients, options.Value.PatientBatchSize)
                .Select(scope => ExportPlan.Search(type, Join(scope, filter), after, upTo, pageSize))).ToList();
            // A big group runs in parallel parts of at least ~10 patient batches each; ORed filters stay together (duplicates).
            var parts = Split(searches, filters.Count > 1 ? 1 : Math.Clamp(searches.Count / 10, 1, options.Value.MaxParallelism));
            return parts.Select((part, i) => new Part(part, i + 1, null)).ToList();
        }
        if (filters.Count > 1)
        {
            return [new Part(filters.Select(filter => ExportPlan.Search(type, filter, after, upTo, pageSize)).ToList(), 1, null)];
        }
        // Counted (with `_total` where advertised, else `_summary=count` is tried; no count: one unit): an empty type needs no
        // unit at all (servers list many types, most of them often empty), a large one is sliced.
        var slices = await slicer.SliceAsync(type, filters[0], after, upTo, cancellationToken, bySummary: !capabilities.TotalTypes.Contains(type));
        return slices.Where(slice => slice.Count != 0)
            .Select((slice, i) => new Part([ExportPlan.Search(type, filters[0], slice.After, slice.UpTo, pageSize)], i + 1, slice.Count)).ToList();
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

        using var answer = await upstream.GetJsonAsync("Group/" + Uri.EscapeDataString(request.GroupId!), cancellationToken);
        if (answer.Json is null)
        {
            throw new JobFailedException(Outcomes.Create(
                answer.Status == System.Net.HttpStatusCode.NotFound ? OperationOutcome.IssueType.NotFound : OperationOutcome.IssueType.Transient,
                $"Group/{request.GroupId} could not be read: {answer.Problem}."), "group unavailable");
        }
        var group = answer.Json.RootElement.Deserialize<Group>(FhirJson.Lenient);
        var members = (group?.Member ?? []).Select(m => m.Entity?.Reference).OfType<string>()
            .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..]).Distinct().ToList();
        // `patient` at group level narrows the group to those of its members.
        return fromParameter.Count > 0 ? members.Intersect(fromParameter).ToList() : members;
    }
}
