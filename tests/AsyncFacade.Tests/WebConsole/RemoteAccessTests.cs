using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>
/// The access rule over real HTTP from a peer that is not loopback: the server listens on this machine's own network
/// address and the test connects to it, so Kestrel sees a non-loopback remote address, as for any other host.
/// </summary>
public sealed class RemoteAccessTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_remote_request_is_refused_by_the_jobs_view_and_the_dashboard()
    {
        await using var app = new FacadeApplication(listenOn: NetworkAddress()).Start();
        using var http = app.CreateRawClient();

        using var api = await http.GetAsync("console/api/jobs", ct);
        using var page = await http.GetAsync("console/jobs", ct);
        using var cancel = await http.DeleteAsync("console/api/jobs/0123456789abcdef", ct);
        using var dashboard = await http.GetAsync("hangfire", ct);

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        var outcome = JsonDocument.Parse(await api.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("forbidden", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.Contains("Jobs:DashboardAllowRemote", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The jobs view is not open to you", await page.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.True(dashboard.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"/hangfire answered {(int)dashboard.StatusCode}");
    }

    [Fact]
    public async Task A_remote_request_is_allowed_once_configured()
    {
        await using var app = new FacadeApplication(new Dictionary<string, string?> { ["Jobs:DashboardAllowRemote"] = "true" }, listenOn: NetworkAddress()).Start();
        using var http = app.CreateRawClient();

        using var api = await http.GetAsync("console/api/jobs", ct);
        using var page = await http.GetAsync("console/jobs", ct);

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>An IPv4 address of this machine that is not loopback; the test is skipped (visibly) on a machine without one.</summary>
    private static IPAddress NetworkAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.SkipWhen(address is null, "This machine has no non-loopback IPv4 address to test a remote peer from.");
        return address!;
    }
}
