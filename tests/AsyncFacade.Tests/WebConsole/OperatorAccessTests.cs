using System.Net;
using System.Security.Claims;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>The rule the dashboard and the jobs view share, on requests from chosen addresses (see RemoteAccessTests for real HTTP).</summary>
public sealed class OperatorAccessTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Fact]
    public void Local_requests_are_allowed_whatever_the_settings()
    {
        var access = Access(allowRemote: false, authEnabled: true);

        Assert.True(access.Allows(Request(IPAddress.Loopback)));
        Assert.True(access.Allows(Request(IPAddress.IPv6Loopback)));
    }

    [Fact]
    public void Remote_requests_are_refused_unless_allowed()
    {
        Assert.False(Access(allowRemote: false, authEnabled: false).Allows(Request(Remote)));
        Assert.True(Access(allowRemote: true, authEnabled: false).Allows(Request(Remote)));
    }

    [Fact]
    public void With_auth_on_a_remote_request_needs_a_token_with_the_dashboard_scope()
    {
        var access = Access(allowRemote: true, authEnabled: true);

        Assert.False(access.Allows(Request(Remote)));
        Assert.False(access.Allows(Request(Remote, "system/Patient.read system/*.read")));
        Assert.False(access.Allows(Request(Remote, "system/*.*", authenticated: false)));
        Assert.True(access.Allows(Request(Remote, "system/Patient.read system/*.*")));
    }

    private static OperatorAccess Access(bool allowRemote, bool authEnabled) =>
        new(Options.Create(new JobsOptions { DashboardAllowRemote = allowRemote }), Options.Create(new AuthOptions { Enabled = authEnabled }));

    private static DefaultHttpContext Request(IPAddress from, string? scope = null, bool authenticated = true)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Connection.RemoteIpAddress = from;
        if (scope is not null)
        {
            httpContext.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("scope", scope)], authenticated ? "Bearer" : null));
        }
        return httpContext;
    }
}
