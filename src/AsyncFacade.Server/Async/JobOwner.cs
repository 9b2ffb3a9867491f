using System.Security.Claims;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Who a job belongs to: the token's client when auth is on (SMART: client_id, azp, sub), else "anonymous". A token
/// that speaks for a patient or a user (`patient`, `fhirUser` claims) owns its jobs together with that context: one
/// patient-facing app serves many patients under one client id, and one patient must never see another's job.
/// </summary>
public static class JobOwner
{
    public const string Anonymous = "anonymous";

    public static string Of(ClaimsPrincipal user)
    {
        var client = user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? user.FindFirst("sub")?.Value ?? Anonymous;
        var patient = user.FindFirst("patient")?.Value;
        var fhirUser = user.FindFirst("fhirUser")?.Value;
        // '#' never occurs in a client id a SMART server issues for backend services, nor in a FHIR id.
        return client + (patient is null ? "" : "#patient=" + patient) + (fhirUser is null ? "" : "#fhirUser=" + fhirUser);
    }

    /// <summary>The identity throttling counts polls against: the owner, and for anonymous callers their address too.</summary>
    public static string PollerOf(HttpContext httpContext)
    {
        var owner = Of(httpContext.User);
        return owner == Anonymous ? owner + "@" + httpContext.Connection.RemoteIpAddress : owner;
    }
}
