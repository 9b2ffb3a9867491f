using System.Net;
using AsyncFacade.Client.Bulk;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>A finished job's result, in whichever envelope the server used.</summary>
public sealed record JobResult(Uri StatusUrl, HttpStatusCode StatusCode)
{
    /// <summary>Bulk Data manifest mode ($export, $import): every page of the manifest, merged.</summary>
    public BulkManifest? Manifest { get; init; }

    /// <summary>Bundle mode: the `batch-response` Bundle whose entry holds the interaction's status and resource.</summary>
    public Bundle? Bundle { get; init; }

    /// <summary>Any other FHIR body (e.g. an informational OperationOutcome).</summary>
    public Resource? Resource { get; init; }

    /// <summary>Redirect mode: the `Location` of the 303, which replays the synchronous answer (see <see cref="FhirAsyncClient.OpenResultAsync"/>).</summary>
    public Uri? Location { get; init; }

    /// <summary>When the server deletes the result and its files (`Expires`).</summary>
    public DateTimeOffset? Expires { get; init; }
}
