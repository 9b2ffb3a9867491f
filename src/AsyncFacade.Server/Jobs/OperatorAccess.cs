using System.Net;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Who may see every job (the Hangfire dashboard, the console's jobs view): they show every owner's jobs and requests.
/// Local requests always; remote ones only with Jobs:DashboardAllowRemote, and with auth on (Auth:Enabled) only with a
/// valid bearer token carrying Auth:DashboardScope. One rule for both views, so they can never disagree.
/// </summary>
public sealed class OperatorAccess(IOptions<JobsOptions> jobs, IOptions<AuthOptions> auth)
{
    public bool Allows(HttpContext httpContext)
    {
        // No address: an in-process caller (TestServer), not a network peer. Forwarded-for headers are not applied
        // (Hosting keeps the real peer), so a proxy on this host counts as local: put a remote-facing proxy elsewhere.
        var remote = httpContext.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            return true;
        }
        if (!jobs.Value.DashboardAllowRemote)
        {
            return false;
        }
        if (!auth.Value.Enabled)
        {
            return true;
        }
        var user = httpContext.User;
        return user.Identity?.IsAuthenticated == true &&
               (user.FindFirst("scope")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(auth.Value.DashboardScope, StringComparer.Ordinal);
    }

    /// <summary>Why a refused request was refused, for the 403 answer.</summary>
    public string Refusal() => !jobs.Value.DashboardAllowRemote
        ? "The jobs view answers local requests only (set Jobs:DashboardAllowRemote to open it to remote ones)."
        : $"A remote request to the jobs view needs a bearer token with the scope {auth.Value.DashboardScope} (Auth:DashboardScope).";
}
