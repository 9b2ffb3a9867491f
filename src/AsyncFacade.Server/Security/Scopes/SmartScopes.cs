using System.Security.Claims;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// What a token's SMART scopes grant, with its patient context (SMART App Launch 2 §Scopes and launch context).
/// <list type="bullet">
/// <item>`system/` scopes grant the type as a backend service.</item>
/// <item>`patient/` scopes grant only with a patient context: the `patient` claim, or a `fhirUser` that is a Patient. The
/// access is then limited to that patient's compartment. Without a patient context they grant nothing.</item>
/// <item>`user/` scopes grant what the user may see. They need a `fhirUser` claim; a Patient user is limited to their own
/// compartment. For any other user (Practitioner, RelatedPerson…) the facade can enforce only the type and the filter:
/// the user's own permissions are the upstream's business, and bulk data ignores such grants (a bulk read could not be
/// narrowed to what the user may see).</item>
/// </list>
/// Scopes are additive. A request needing several permissions (an export needs `r` and `s`) is allowed under the
/// restrictions every one of them is granted under.
/// </summary>
public sealed class SmartScopes
{
    private SmartScopes(IReadOnlyList<SmartScope> scopes, string? patientId, string? fhirUser)
    {
        Scopes = scopes;
        PatientId = patientId;
        FhirUser = fhirUser;
        UserPatientId = fhirUser is null ? null : PatientOf(fhirUser);
    }

    /// <summary>The resource scopes the token carries, in its order (others are left out).</summary>
    public IReadOnlyList<SmartScope> Scopes { get; }

    /// <summary>The patient context: the `patient` claim, else the `fhirUser` Patient; null without one.</summary>
    public string? PatientId { get; }

    /// <summary>The `fhirUser` claim as given; null without one.</summary>
    public string? FhirUser { get; }

    /// <summary>The id of the Patient the user is, when `fhirUser` names a Patient.</summary>
    public string? UserPatientId { get; }

    /// <summary>True when no `system/` scope applies and access is limited to one patient: system and Group export are not for this token.</summary>
    public bool IsPatientScoped => PatientId is not null && !Scopes.Any(s => s.Level == ScopeLevel.System);

    public static SmartScopes Of(ClaimsPrincipal user) =>
        Parse(user.FindFirst("scope")?.Value, user.FindFirst("patient")?.Value, user.FindFirst("fhirUser")?.Value);

    public static SmartScopes Parse(string? scope, string? patient = null, string? fhirUser = null)
    {
        var scopes = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(SmartScope.TryParse).OfType<SmartScope>().ToList();
        var user = string.IsNullOrWhiteSpace(fhirUser) ? null : fhirUser.Trim();
        var patientId = !string.IsNullOrWhiteSpace(patient) && Import.ResourceId.IsValid(patient.Trim()) ? patient.Trim()
            : user is null ? null : PatientOf(user);
        return new SmartScopes(scopes, patientId, user);
    }

    /// <summary>
    /// Whether <paramref name="needed"/> is granted on <paramref name="type"/> (`*` asks for a `*` grant) and under which
    /// restrictions. <paramref name="bulk"/> leaves out `user/` grants of users who are not a Patient.
    /// </summary>
    public AccessDecision Check(string type, ScopePermissions needed, bool bulk = false)
    {
        List<AccessRestriction>? restrictions = null; // null: no permission seen limits it yet
        foreach (var permission in Single.Where(p => needed.HasFlag(p)))
        {
            var granted = Scopes.Where(s => (s.Type == "*" || s.Type == type) && s.Permissions.HasFlag(permission))
                .Select(s => RestrictionOf(s, bulk)).OfType<AccessRestriction>().Distinct().ToList();
            if (granted.Count == 0)
            {
                return AccessDecision.Refused(SmartScope.Describe(MissingLevel, type, needed));
            }
            if (granted.Contains(AccessRestriction.None))
            {
                continue; // this permission is granted on the whole type
            }
            restrictions = restrictions is null ? granted : [.. restrictions.Intersect(granted)];
            if (restrictions.Count == 0)
            {
                // e.g. `r` under one filter and `s` under another: no single restriction grants both.
                return AccessDecision.Refused(SmartScope.Describe(MissingLevel, type, needed));
            }
        }
        return restrictions is null ? AccessDecision.Unrestricted : new AccessDecision(true, restrictions, null);
    }

    private static readonly ScopePermissions[] Single =
        [ScopePermissions.Create, ScopePermissions.Read, ScopePermissions.Update, ScopePermissions.Delete, ScopePermissions.Search];

    /// <summary>The level a missing scope is named at: the token's patient context asks for `patient/` scopes, a backend service for `system/`.</summary>
    private ScopeLevel MissingLevel => IsPatientScoped ? ScopeLevel.Patient : ScopeLevel.System;

    /// <summary>What one scope grants under, or null when it grants nothing to this token.</summary>
    private AccessRestriction? RestrictionOf(SmartScope scope, bool bulk) => scope.Level switch
    {
        ScopeLevel.System => new AccessRestriction(null, scope.Query),
        ScopeLevel.Patient => PatientId is null ? null : new AccessRestriction(PatientId, scope.Query),
        _ when FhirUser is null => null,
        _ when UserPatientId is not null => new AccessRestriction(UserPatientId, scope.Query),
        _ => bulk ? null : new AccessRestriction(null, scope.Query),
    };

    /// <summary>The id in `Patient/{id}` or `{base}/Patient/{id}`; null when the reference names something else.</summary>
    private static string? PatientOf(string reference)
    {
        var parts = reference.TrimEnd('/').Split('/');
        return parts is [.., "Patient", var id] && Import.ResourceId.IsValid(id) ? id : null;
    }
}
