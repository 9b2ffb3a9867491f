namespace AsyncFacade.SampleUpstream.Profiles;

/// <summary>How batch and transaction writes answer: empty return=minimal bodies, location-only entries, id rules. Bound from `SampleUpstream:Writes`.</summary>
public sealed class WriteQuirks
{
    /// <summary>
    /// A batch or transaction sent with `Prefer: return=minimal` is answered `200`, `Content-Type: application/fhir+json`
    /// and an empty body: nothing says per entry what happened.
    /// </summary>
    public bool EmptyMinimalResponse { get; set; }

    /// <summary>
    /// With `Prefer: return=minimal`, a batch or transaction refused as a whole answers its status with an empty body too:
    /// no OperationOutcome, no reason. Medplum's interceptor in packages/server/src/fhir/routes.ts (as stored here) wraps
    /// `res.json` for every answer, OperationOutcomes included; not in the medplum preset, as 4.5.2's refusals were not seen.
    /// </summary>
    public bool EmptyMinimalErrorResponse { get; set; }

    /// <summary>Response entries carry only `response.location` (a written entry) or an empty `response` (a failed one): no status.</summary>
    public bool LocationOnlyEntries { get; set; }

    /// <summary>Response entries carry only `response.outcome` (informational for a written entry, the error for a failed one): no status.</summary>
    public bool OutcomeOnlyEntries { get; set; }

    /// <summary>The response Bundle has no `entry` at all.</summary>
    public bool NoEntries { get; set; }

    /// <summary>`response.status` is the bare code ("201"), without the reason phrase.</summary>
    public bool BareStatusCodes { get; set; }

    /// <summary>A PUT whose id is not a UUID is refused with `400` and an OperationOutcome saying "Invalid id" (per entry in a batch).</summary>
    public bool UuidIdsOnly { get; set; }

    /// <summary>A PUT whose content equals the stored version (ignoring meta) keeps that version: no new versionId, no new lastUpdated.</summary>
    public bool KeepVersionOnUnchangedUpdate { get; set; }

    /// <summary>A transaction with more PUT entries than this is refused as a whole with `400`; 0: no limit.</summary>
    public int MaxTransactionUpdates { get; set; }

    /// <summary>Sets this area's part of a named profile (see <see cref="UpstreamProfiles"/>); cite the source of each setting.</summary>
    internal void ApplyProfile(string profile)
    {
        switch (profile)
        {
            case "medplum":
                // Observed on Medplum 4.5.2 (issue 14, case 2): 200 + application/fhir+json + empty body for a batch of PUTs.
                // Source: medplum/medplum packages/server/src/fhir/routes.ts, the "Prefer" interceptor answers `res.send()` with
                // no body when `Prefer === 'return=minimal'`, after response.ts `sendResponse` has set Content-Type to FHIR JSON.
                EmptyMinimalResponse = true;
                // packages/fhir-router/src/batch.ts `buildBundleResponse`: `status: getStatus(outcome).toString()` ("200", "201").
                BareStatusCodes = true;
                // packages/server/src/fhir/repo.ts `updateResourceImpl`: `if (!validator.isUUID(id)) throw badRequest('Invalid id')`;
                // Medplum assigns UUIDs and accepts client ids only as UUIDs (medplum/medplum PR #2263, discussion #1175).
                UuidIdsOnly = true;
                // repo.ts `updateResourceImpl`: `if (this.isNotModified(existing, result)) return existing` (no new version).
                KeepVersionOnUnchangedUpdate = true;
                // packages/fhir-router/src/batch.ts: `maxUpdates = 50`, "Transaction contains more update operations than allowed".
                MaxTransactionUpdates = 50;
                break;
            case "hapi":
                // hapifhir/hapi-fhir issue #4348 / PR #4349: an update with no changes keeps meta.versionId (a no-op update,
                // the JPA server's behaviour the DSTU3 bug there had broken). HAPI honours the Prefer return values since
                // hapifhir/hapi-fhir PR #996 (return=minimal: no body on single writes); its batch answers keep per-entry
                // statuses, so no answer-shape quirk is preset here.
                KeepVersionOnUnchangedUpdate = true;
                break;
            case "microsoft":
                // microsoft/fhir-server PR #2519 "Prevent no impact updates from creating version": an update whose content
                // equals the stored one (ignoring meta.versionId/lastUpdated) answers 200 with the existing version.
                KeepVersionOnUnchangedUpdate = true;
                break;
            default:
                // firely, aidbox: no documented deviation in their batch answers was found (searched docs and issues,
                // December 2026); they answer per entry with status and location as FHIR http §3.1.0.11 asks.
                break;
        }
    }
}
