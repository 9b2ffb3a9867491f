namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>
/// Which history interactions exist (type and system `_history`). Bound from `SampleUpstream:History`. A missing one
/// answers 404 and is not advertised in the CapabilityStatement, as the servers modelled here do.
/// </summary>
public sealed class HistoryQuirks
{
    /// <summary>`GET [base]/[type]/_history` (the export's first source of `deleted[]`).</summary>
    public bool TypeHistory { get; set; } = true;

    /// <summary>`GET [base]/_history` (the export's fallback: every type's changes, filtered by type).</summary>
    public bool SystemHistory { get; set; } = true;

    /// <summary>Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>); cite the source of each setting.</summary>
    internal void ApplyProfile(string profile)
    {
        switch (profile)
        {
            case "medplum":
                // Medplum has instance history only: type-level `_history` is an open feature request
                // (github.com/medplum/medplum/issues/2670, "_history search on resource type"), and `Condition/_history`
                // answered 404 on Medplum 4.5.2 (issue 14). System history is assumed missing too (not documented).
                TypeHistory = false;
                SystemHistory = false;
                break;
            case "aidbox":
                // Assumed: Aidbox documents type and instance history; system history is not in its REST docs.
                SystemHistory = false;
                break;
            default:
                // HAPI JPA, the Microsoft FHIR server and Firely Server implement history at every level (R4 http.html#history).
                break;
        }
    }
}
