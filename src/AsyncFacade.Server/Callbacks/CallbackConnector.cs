using System.Net;
using System.Net.Sockets;

namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// The callback client's ConnectCallback. The kick-off check resolved the host minutes or hours ago; a hostile DNS server
/// can answer a public address then and 127.0.0.1 now (rebinding). So the addresses are resolved here, checked, and the
/// socket connects to exactly those, leaving no second lookup to race.
/// </summary>
internal sealed class CallbackConnector(AllowedHostList allowedHosts)
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
        var listed = allowedHosts.Contains(host);
        var name = host.Trim('[', ']'); // SocketsHttpHandler passes IPv6 literals in brackets
        if (!listed && !allowedHosts.IsEmpty)
        {
            // The list changed since kick-off (durable jobs outlive a restart): the current list decides.
            throw new CallbackAddressRefusedException($"host '{name}' is not on the callback allow-list");
        }

        IPAddress[] addresses = Uri.CheckHostName(name) is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? [IPAddress.Parse(name)]
            : await Dns.GetHostAddressesAsync(name, cancellationToken);
        if (!listed && (addresses.Length == 0 || !addresses.All(PublicAddress.IsPublic)))
        {
            throw new CallbackAddressRefusedException($"host '{name}' resolves to a non-public address");
        }
        return addresses;
    }
}
