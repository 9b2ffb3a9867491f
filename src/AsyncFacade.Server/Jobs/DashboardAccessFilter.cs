using Hangfire.Dashboard;

namespace AsyncFacade.Server.Jobs;

/// <summary>The dashboard shows every job's arguments: <see cref="OperatorAccess"/> decides who sees it.</summary>
internal sealed class DashboardAccessFilter(OperatorAccess access) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => access.Allows(context.GetHttpContext());
}
