using System.Net;
using System.Net.Sockets;

namespace AsyncFacade.Server.Security;

/// <summary>
/// The kick-off half of the public-address rule: a URL's host must be, or resolve only to, public addresses. The
/// <see cref="GuardedConnector"/> checks again when connecting, because DNS may answer differently by then (rebinding).
/// </summary>
internal static class PublicHost
{
    // Kick-off answers the client synchronously; a resolver that hangs must not hold the request for its full timeout.
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <returns>Null when every address is public; otherwise what is wrong, starting with "host '…'".</returns>
    public static async Task<string?> CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (AddressOf(uri) is { } literal)
        {
            return PublicAddress.IsPublic(literal) ? null : $"host '{uri.Host}' is a non-public address.";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, timeout.Token);
        }
        catch (SocketException)
        {
            addresses = [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"host '{uri.IdnHost}' could not be resolved in time.";
        }

        if (addresses.Length == 0)
        {
            return $"host '{uri.IdnHost}' could not be resolved.";
        }
        // Every address must be public: a name that also resolves to 127.0.0.1 could be connected there.
        return addresses.All(PublicAddress.IsPublic) ? null : $"host '{uri.IdnHost}' resolves to a non-public address.";
    }

    /// <summary>The IP literal in the URL (decimal, octal and hex IPv4 forms already canonicalised by Uri); null for a name.</summary>
    public static IPAddress? AddressOf(Uri uri) => uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        ? IPAddress.Parse(uri.Host.Trim('[', ']'))
        : null;

    /// <summary>The host as an allow-list compares it: IP literals without brackets or an IPv6 zone, names in punycode.</summary>
    public static string ListedNameOf(Uri uri) => AddressOf(uri)?.ToString() ?? uri.IdnHost;
}
