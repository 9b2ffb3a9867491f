using System.Security.Claims;

namespace AsyncFacade.Server.Async;

/// <summary>Who a job belongs to: the token's client when auth is on (SMART: client_id, azp, sub), else "anonymous".</summary>
public static class JobOwner
{
    public const string Anonymous = "anonymous";

    public static string Of(ClaimsPrincipal user) =>
        user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
        ?? user.FindFirst("sub")?.Value ?? Anonymous;

    /// <summary>The identity throttling counts polls against: the owner, and for anonymous callers their address too.</summary>
    public static string PollerOf(HttpContext httpContext)
    {
        var owner = Of(httpContext.User);
        return owner == Anonymous ? owner + "@" + httpContext.Connection.RemoteIpAddress : owner;
    }
}
