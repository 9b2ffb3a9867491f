using AsyncFacade.Server.Export;
using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Applies a token's scopes to one FHIR interaction (<see cref="FhirInteraction"/> says which permissions it needs). A
/// grant on the whole type lets it through unchanged; a restricted grant (one patient's compartment, a v2 filter) is
/// applied to the request itself, before the pass-through forwards it or the async kick-off keeps it in a job:
/// <list type="bullet">
/// <item>Searches get the restriction's parameters (<see cref="RestrictionParameters"/>) and `Prefer: handling=strict`;
/// `_include`, `_revinclude`, `_contained` and `_containedType` are refused (403), as is a search that several
/// restrictions would allow (one search cannot be limited to a union).</item>
/// <item>Reads, vreads, instance history, updates, patches and deletes by id are checked against the upstream first
/// (<see cref="CompartmentMembership"/>): a resource outside answers 404, as one that does not exist. `Patient/{id}` for
/// another patient is refused (403) without asking: the request alone shows it is outside.</item>
/// <item>Created and updated bodies must lie in the compartment, patches must leave the elements that decide it alone
/// (<see cref="CompartmentBody"/>); a write under a v2 filter is refused, since a filter cannot be checked on a body.</item>
/// <item>`Patient/{p}/$everything` and `Patient/{p}/T` are allowed for the token's own patient only; everything else
/// (batch, transaction, system-level search and history, type history, other operations) needs the whole type.</item>
/// </list>
/// </summary>
internal sealed class ScopeEnforcement(UpstreamCapabilityCache capabilities)
{
    /// <returns>Null to let the (possibly narrowed) request go on; else why not.</returns>
    public async Task<ScopeRefusal?> CheckAsync(HttpContext httpContext, SmartScopes scopes, FhirInteraction interaction)
    {
        var decision = scopes.Check(interaction.Type, interaction.Needed);
        if (!decision.Allowed)
        {
            return Missing(scopes, interaction, decision.MissingScope!);
        }
        if (decision.IsUnrestricted)
        {
            return null;
        }
        var check = new Check(httpContext, interaction, decision.Restrictions, capabilities);
        return interaction.Kind switch
        {
            InteractionKind.Search or InteractionKind.CompartmentSearch => await check.SearchAsync(),
            InteractionKind.Read or InteractionKind.Delete => await check.TargetAsync(),
            InteractionKind.Create => await check.CreateAsync(),
            InteractionKind.Update or InteractionKind.Patch => await check.ChangeAsync(),
            InteractionKind.ConditionalUpdate or InteractionKind.ConditionalPatch or InteractionKind.ConditionalDelete => await check.ConditionalAsync(),
            InteractionKind.Everything => check.Everything(),
            _ => check.Unnarrowable(),
        };
    }

    private static ScopeRefusal Missing(SmartScopes scopes, FhirInteraction interaction, string missingScope)
    {
        var grants = scopes.Scopes.Where(s => (s.Type == "*" || s.Type == interaction.Type) && (s.Permissions & interaction.Needed) != 0).ToList();
        var hint = grants.Any(s => s.Level == ScopeLevel.Patient) && scopes.PatientId is null
            ? " Its patient/ scopes grant nothing without a patient context (a `patient` claim, or a `fhirUser` that is a Patient)."
            : grants.Any(s => s.Level == ScopeLevel.User) && scopes.FhirUser is null ? " Its user/ scopes grant nothing without a `fhirUser` claim." : "";
        return ScopeRefusal.Forbidden($"The token's scopes do not allow {interaction.What}; it needs {missingScope}.{hint}", missingScope);
    }

    /// <summary>One restricted request: its interaction, the restrictions it may be allowed under (alternatives), and the upstream.</summary>
    private sealed class Check(HttpContext httpContext, FhirInteraction interaction, IReadOnlyList<AccessRestriction> restrictions, UpstreamCapabilityCache cache)
    {
        private HttpRequest Request => httpContext.Request;

        private string Type => interaction.Type;

        private CancellationToken Aborted => httpContext.RequestAborted;

        /// <summary>The scope that would allow the request unrestricted, named in the challenge.</summary>
        private string Wider => SmartScope.Describe(ScopeLevel.System, Type, interaction.Needed);

        public async Task<ScopeRefusal?> SearchAsync()
        {
            if (restrictions.Count > 1)
            {
                return Refuse($"The token may search {Type} only within {Describe(restrictions)}; a single search cannot be limited to several of them. " +
                    "Ask with a token holding one of those scopes.");
            }
            var restriction = restrictions[0];
            if (interaction.Kind == InteractionKind.CompartmentSearch && restriction.PatientId is { } patient && interaction.Id != patient)
            {
                return Refuse($"The token may search only Patient/{patient}'s compartment, not Patient/{interaction.Id}'s.");
            }
            if (await NarrowedRequest.WideningParameterAsync(Request, Aborted) is { } widening)
            {
                return Refuse($"`{widening}` would add resources that {Describe(restrictions)} does not cover; it cannot be used with this token.");
            }
            if (await CapabilitiesAsync() is not { } capabilities)
            {
                return Unavailable();
            }
            if (RestrictionParameters.Of(Type, restriction, capabilities, out var problem) is not { } parameters)
            {
                return Refuse(problem!);
            }
            NarrowedRequest.AddParameters(Request, parameters);
            NarrowedRequest.PreferStrictHandling(Request);
            return null;
        }

        /// <summary>A read or delete by id: allowed when the target lies within one of the restrictions.</summary>
        public async Task<ScopeRefusal?> TargetAsync()
        {
            var candidates = Candidates();
            if (candidates.Count == 0)
            {
                return OtherPatient();
            }
            if (candidates.Any(r => Type == "Patient" && r.PatientId == interaction.Id && r.Query is null))
            {
                return null; // the token's own Patient: the request alone shows it
            }
            return await MemberOfAnyAsync(candidates);
        }

        public async Task<ScopeRefusal?> CreateAsync()
        {
            var candidates = restrictions.Where(r => r.Query is null).ToList();
            if (candidates.Count == 0)
            {
                return FilterOnBody();
            }
            if (Type == "Patient")
            {
                return Refuse($"A new Patient cannot be in {Describe(candidates)}: the upstream picks its id. Update Patient/{candidates[0].PatientId} instead.");
            }
            ScopeRefusal? refused = null;
            foreach (var restriction in candidates)
            {
                refused = await CompartmentBody.CheckResourceAsync(Request, Type, restriction.PatientId!, Wider, Aborted);
                if (refused is null)
                {
                    return await NarrowIfNoneExistAsync(restriction);
                }
            }
            return refused;
        }

        /// <summary>An update or patch by id: its body (or patch) and its target must both lie within one restriction.</summary>
        public async Task<ScopeRefusal?> ChangeAsync()
        {
            var candidates = Candidates();
            if (candidates.Count == 0)
            {
                return OtherPatient();
            }
            var checkable = candidates.Where(r => r.Query is null).ToList();
            if (checkable.Count == 0)
            {
                return FilterOnBody();
            }
            ScopeRefusal? refused = null;
            foreach (var restriction in checkable)
            {
                refused = interaction.Kind == InteractionKind.Patch
                    ? await CompartmentBody.CheckPatchAsync(Request, Type, Wider, Aborted)
                    : await CompartmentBody.CheckResourceAsync(Request, Type, restriction.PatientId!, Wider, Aborted);
                if (refused is null)
                {
                    // Patient/{p} itself needs no look-up; anything else must be in the compartment already (a PUT that would
                    // create it answers 404: whether the id exists elsewhere is not this token's business).
                    return Type == "Patient" ? null : await MemberOfAnyAsync([restriction]);
                }
            }
            return refused;
        }

        /// <summary>`PUT|PATCH|DELETE T?…`: the search narrowed as any search, then the body checked as for a write by id.</summary>
        public async Task<ScopeRefusal?> ConditionalAsync()
        {
            if (await SearchAsync() is { } refused)
            {
                return refused;
            }
            var restriction = restrictions[0];
            return interaction.Kind switch
            {
                InteractionKind.ConditionalDelete => null,
                _ when restriction.Query is not null => FilterOnBody(),
                InteractionKind.ConditionalPatch => await CompartmentBody.CheckPatchAsync(Request, Type, Wider, Aborted),
                _ => await CompartmentBody.CheckResourceAsync(Request, Type, restriction.PatientId!, Wider, Aborted),
            };
        }

        /// <summary>`$everything` reads every compartment type: it needs `*` read, for the token's own patient and without a filter.</summary>
        public ScopeRefusal? Everything()
        {
            if (restrictions.Any(r => r.PatientId == interaction.Id && r.Query is null))
            {
                return null;
            }
            return restrictions.FirstOrDefault(r => r.PatientId is not null) is { PatientId: { } patient } && patient != interaction.Id
                ? Refuse($"The token may ask only for Patient/{patient}/$everything, not {interaction.What}.")
                : Refuse($"{interaction.What} cannot apply a scope filter; the token may read only within {Describe(restrictions)}.");
        }

        public ScopeRefusal Unnarrowable() =>
            Refuse($"The token may use {Type} only within {Describe(restrictions)}, and {interaction.What} cannot be limited to that " +
                   "(batch and transaction entries are not checked one by one; history and operations take no search parameters to narrow them).");

        /// <summary>The restrictions the request could be allowed under: not those of a patient other than the `Patient/{id}` asked for.</summary>
        private List<AccessRestriction> Candidates() =>
            [.. restrictions.Where(r => !(Type == "Patient" && r.PatientId is { } patient && patient != interaction.Id))];

        private async Task<ScopeRefusal?> MemberOfAnyAsync(IReadOnlyList<AccessRestriction> candidates)
        {
            if (await CapabilitiesAsync() is not { } capabilities)
            {
                return Unavailable();
            }
            var upstream = httpContext.RequestServices.GetRequiredService<UpstreamClient>();
            string? problem = null;
            ScopeRefusal? notFound = null;
            foreach (var restriction in candidates)
            {
                if (RestrictionParameters.Of(Type, restriction, capabilities, out var why) is not { } parameters)
                {
                    problem ??= why;
                    continue;
                }
                var answer = await CompartmentMembership.CheckAsync(upstream, capabilities, Type, interaction.Id!, parameters, Wider, Aborted);
                if (answer is null)
                {
                    return null;
                }
                if (answer.Status != StatusCodes.Status404NotFound)
                {
                    return answer;
                }
                notFound = answer;
            }
            return notFound ?? Refuse(problem!);
        }

        private async Task<ScopeRefusal?> NarrowIfNoneExistAsync(AccessRestriction restriction)
        {
            if (Request.Headers["If-None-Exist"].ToString() is not { Length: > 0 } condition)
            {
                return null;
            }
            // Conditional create searches first (R4 http.html#ccreate): limited like any search, or it would tell whether
            // another patient's resource matches.
            if (await CapabilitiesAsync() is not { } capabilities)
            {
                return Unavailable();
            }
            if (RestrictionParameters.Of(Type, restriction, capabilities, out var problem) is not { } parameters)
            {
                return Refuse(problem!);
            }
            Request.Headers["If-None-Exist"] = NarrowedRequest.AddParameters(condition, parameters).TrimStart('?');
            NarrowedRequest.PreferStrictHandling(Request);
            return null;
        }

        private Task<UpstreamCapabilities?> CapabilitiesAsync() =>
            cache.GetAsync(httpContext.RequestServices.GetRequiredService<UpstreamClient>(), Aborted);

        private ScopeRefusal OtherPatient() =>
            Refuse($"The token may use only Patient/{restrictions.First(r => r.PatientId is not null).PatientId}'s record, and {interaction.What} is another patient's.");

        private ScopeRefusal FilterOnBody() =>
            Refuse($"The token may write {Type} only under the scope filter `{restrictions.First(r => r.Query is not null).Query}`, which cannot be checked on a " +
                   "request body, so the write is refused rather than let through unchecked.");

        private ScopeRefusal Refuse(string diagnostics) => ScopeRefusal.Forbidden(diagnostics, Wider);

        private ScopeRefusal Unavailable() => ScopeRefusal.Unavailable(
            $"The upstream's CapabilityStatement could not be read, so {interaction.What} cannot be limited to {Describe(restrictions)}; try again later.");

        private static string Describe(IEnumerable<AccessRestriction> restrictions) => string.Join(" or ", restrictions.Select(r => (r.PatientId, r.Query) switch
        {
            ({ } patient, null) => $"Patient/{patient}'s compartment",
            (null, { } query) => $"the filter `{query}`",
            var (patient, query) => $"Patient/{patient}'s compartment with the filter `{query}`",
        }));
    }
}
