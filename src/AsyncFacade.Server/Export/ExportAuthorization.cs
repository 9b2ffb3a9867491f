using AsyncFacade.Server.Security.Scopes;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The caller's SMART scopes applied to an export, at kick-off and again when the job plans it (the job sees the
/// upstream's types then). Bulk Data §Authorization: an export reads every type it includes, so each needs `r` and
/// `s`. Rules:
/// <list type="bullet">
/// <item>A system or Group export counts `system/` grants only; a patient-scoped token is refused (it may run
/// Patient/$export, limited to its own patient). Group export also needs read on Group.</item>
/// <item>Patient/$export with a patient-scoped token exports that patient's compartment and nobody else's.</item>
/// <item>A v2 scope filter becomes part of every search of its type (ANDed with the client's `_typeFilter`; several
/// filters are ORed searches), always under strict handling, so an upstream that cannot apply it fails the search.</item>
/// <item>No quiet narrowing: a type the export would include but the token cannot read refuses the kick-off, naming
/// the scope, unless the client sent `Prefer: handling=lenient`: then it is left out and the manifest says so.</item>
/// </list>
/// </summary>
internal static class ExportAuthorization
{
    private const ScopePermissions Needed = ScopePermissions.ReadAndSearch;

    /// <summary>True when every type the export could include is readable without a filter: no need to list them.</summary>
    public static bool CoversEveryType(ExportRequest request, SmartScopes scopes) =>
        Decide(request, scopes, "*") is { } all && all.Queries.Count == 0 && request.Types.Count == 0;

    /// <param name="types">The types the export includes: <c>request.Types</c>, or the upstream's when the kick-off named none.</param>
    public static ExportAuthorizationResult Apply(ExportRequest request, SmartScopes scopes, IReadOnlyList<string> types)
    {
        if (request.Level != ExportLevel.Patient && scopes.IsPatientScoped)
        {
            return Refused($"This token is limited to Patient/{scopes.PatientId}'s compartment, so it cannot run a {(request.Level == ExportLevel.Group ? "Group" : "system-level")} export; Patient/$export exports that patient's data.",
                SmartScope.Describe(ScopeLevel.System, "*", Needed));
        }
        if (request.Level == ExportLevel.Group && scopes.Check("Group", ScopePermissions.Read, bulk: true) is not { IsUnrestricted: true })
        {
            return Refused($"A Group export reads Group/{request.GroupId}; the token lacks system/Group.r (or system/Group.read).", "system/Group.r");
        }
        var patients = request.Patients;
        if (scopes.IsPatientScoped)
        {
            var own = scopes.PatientId!;
            var others = request.Patients.Select(p => p.Split('/')[^1]).Where(id => id != own).ToList();
            if (others.Count > 0)
            {
                return Refused($"This token may export only Patient/{own}'s data, not {string.Join(", ", others.Select(id => "Patient/" + id))}.",
                    SmartScope.Describe(ScopeLevel.System, "Patient", Needed));
            }
            patients = ["Patient/" + own];
        }

        var allowed = new List<string>();
        var missing = new List<ExportLeftOut>();
        var filters = request.TypeFilters.Where(f => !types.Contains(f.Type)).ToList();
        var scopeFiltered = new List<string>();
        foreach (var type in types)
        {
            if (Decide(request, scopes, type) is not { } decision)
            {
                missing.Add(new ExportLeftOut(type, SmartScope.Describe(scopes.IsPatientScoped ? ScopeLevel.Patient : ScopeLevel.System, type, Needed)));
                continue;
            }
            allowed.Add(type);
            var own = request.TypeFilters.Where(f => f.Type == type).Select(f => f.Query).ToList();
            if (decision.Queries.Count == 0)
            {
                filters.AddRange(own.Select(q => new ExportTypeFilter(type, q)));
                continue;
            }
            scopeFiltered.Add(type);
            // (scope1 OR scope2) AND (filter1 OR filter2) = the searches scope_i & filter_j.
            filters.AddRange(decision.Queries.SelectMany(scope => own.DefaultIfEmpty("").Select(q => new ExportTypeFilter(type, q.Length == 0 ? scope : scope + "&" + q))));
        }

        var named = request.Types.Count > 0;
        if (missing.Count > 0 && (named || !request.Lenient || allowed.Count == 0))
        {
            var needs = string.Join(' ', missing.Select(m => m.MissingScope));
            return Refused($"The token cannot read {string.Join(", ", missing.Select(m => m.Type))}, which this export {(named ? "asks for" : "would include")}; it needs {needs}." +
                (named || allowed.Count == 0 ? "" : " Send Prefer: handling=lenient to export only the types the token can read."), needs);
        }
        if (scopeFiltered.Count > 0 && request.OrganizeOutputBy is not null)
        {
            return Refused($"The token reads {string.Join(", ", scopeFiltered)} only through a scope filter, which a patient-organized export cannot apply.",
                string.Join(' ', scopeFiltered.Select(t => SmartScope.Describe(ScopeLevel.System, t, Needed))));
        }
        var narrowed = request with
        {
            Types = missing.Count > 0 ? allowed : request.Types,
            TypeFilters = filters,
            Patients = patients,
        };
        return new ExportAuthorizationResult(narrowed, missing, scopeFiltered, null, null);
    }

    private sealed record TypeDecision(IReadOnlyList<string> Queries);

    /// <summary>
    /// What the export may read of <paramref name="type"/>: null when nothing; else the scope filters that apply (none:
    /// the whole type). A patient-scoped token's compartment limit is the export's `patient`; a token with `system/`
    /// scopes exports as a backend service, so its patient-limited grants do not add to a bulk export.
    /// </summary>
    private static TypeDecision? Decide(ExportRequest request, SmartScopes scopes, string type)
    {
        var decision = scopes.Check(type, Needed, bulk: true);
        var usable = decision.Restrictions.Where(r => scopes.IsPatientScoped ? r.PatientId == scopes.PatientId : r.PatientId is null).ToList();
        if (!decision.Allowed || usable.Count == 0 || (scopes.IsPatientScoped && request.Level != ExportLevel.Patient))
        {
            return null;
        }
        return new TypeDecision(usable.Any(r => r.Query is null) ? [] : [.. usable.Select(r => r.Query!).Distinct()]);
    }

    private static ExportAuthorizationResult Refused(string message, string neededScopes) => new(null, [], [], message, neededScopes);
}

/// <summary>A type a lenient export leaves out, and the scope that would have let it in.</summary>
internal sealed record ExportLeftOut(string Type, string MissingScope);

/// <param name="Request">The export as the token may run it; null when refused.</param>
/// <param name="ScopeFiltered">Types whose searches carry a scope filter: strict handling, whatever the client asked.</param>
internal sealed record ExportAuthorizationResult(ExportRequest? Request, IReadOnlyList<ExportLeftOut> LeftOut, IReadOnlyList<string> ScopeFiltered,
    string? Refusal, string? NeededScopes);
