using System.Net;
using Hangfire.Dashboard;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The dashboard shows every job's arguments: local requests only, unless Jobs:DashboardAllowRemote. With auth on, a
/// remote request also needs a valid bearer token carrying <paramref name="adminScope"/>.
/// </summary>
internal sealed class DashboardAccessFilter(bool allowRemote, string? adminScope) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var httpContext = context.GetHttpContext();
        var remote = httpContext.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            return true;
        }
        return allowRemote && (adminScope is null ||
            (httpContext.User.Identity?.IsAuthenticated == true &&
             (httpContext.User.FindFirst("scope")?.Value ?? "").Split(' ').Contains(adminScope, StringComparer.Ordinal)));
    }
}
