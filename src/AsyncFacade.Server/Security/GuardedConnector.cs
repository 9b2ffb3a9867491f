using System.Net;
using System.Net.Sockets;

namespace AsyncFacade.Server.Security;

/// <summary>
/// The ConnectCallback of clients that reach hosts a client chose (callbacks, import sources). The kick-off check resolved
/// the host minutes or hours ago; a hostile DNS server can answer a public address then and 127.0.0.1 now (rebinding).
/// So the addresses are resolved here, checked, and the socket connects to exactly those, leaving no second lookup to race.
/// </summary>
/// <param name="allowedHosts">The list as configured now (durable jobs outlive a restart: the current list decides).</param>
/// <param name="publicWhenEmpty">With no list, any host whose addresses are all public may be reached (callbacks); else nothing may.</param>
/// <param name="wildcardsNeedPublic">
/// A host listed only through a "*.domain" wildcard must resolve to public addresses: the operator vouched for the domain,
/// not for whatever its DNS answers (imports). Exact names and addresses are trusted as listed, private ones included.
/// </param>
internal sealed class GuardedConnector(AllowedHostList allowedHosts, bool publicWhenEmpty, bool wildcardsNeedPublic)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var match = allowedHosts.Match(host);
        var name = host.Trim('[', ']'); // SocketsHttpHandler passes IPv6 literals in brackets
        if (match == AllowedHostList.HostMatch.None && !(allowedHosts.IsEmpty && publicWhenEmpty))
        {
            throw new AddressRefusedException($"host '{name}' is not on the allow-list");
        }

        IPAddress[] addresses = Uri.CheckHostName(name) is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? [IPAddress.Parse(name)]
            : await Dns.GetHostAddressesAsync(name, cancellationToken);
        var mustBePublic = match == AllowedHostList.HostMatch.None || (match == AllowedHostList.HostMatch.Wildcard && wildcardsNeedPublic);
        if (mustBePublic && (addresses.Length == 0 || !addresses.All(PublicAddress.IsPublic)))
        {
            throw new AddressRefusedException($"host '{name}' resolves to a non-public address");
        }
        return addresses;
    }

    /// <summary>The refusal inside whatever HttpClient wrapped it in, if that is why a request failed.</summary>
    public static AddressRefusedException? FindRefusal(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AddressRefusedException refusal)
            {
                return refusal;
            }
        }
        return null;
    }
}
