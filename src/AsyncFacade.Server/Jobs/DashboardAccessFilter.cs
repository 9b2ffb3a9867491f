using System.Net;
using Hangfire.Dashboard;

namespace AsyncFacade.Server.Jobs;

/// <summary>The dashboard shows every job's arguments: local requests only, unless Jobs:DashboardAllowRemote.</summary>
internal sealed class DashboardAccessFilter(bool allowRemote) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        if (allowRemote)
        {
            return true;
        }
        var remote = context.GetHttpContext().Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote);
    }
}
