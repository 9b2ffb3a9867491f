using System.Net;
using System.Net.Sockets;
using AsyncFacade.Server.Security;

namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// Checked at kick-off: returns null when the `callback-url` is acceptable, else a reason for the client (400 OperationOutcome).
/// The dispatcher checks the addresses again when it connects, because DNS may answer differently by then (rebinding).
/// </summary>
internal sealed class CallbackUrlPolicy([FromKeyedServices(CallbackOptions.Section)] AllowedHostList allowedHosts, ILogger<CallbackUrlPolicy> logger)
{
    // Kick-off answers the client synchronously; a resolver that hangs must not hold the request for its full timeout.
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public async Task<string?> CheckAsync(string callbackUrl, CancellationToken cancellationToken)
    {
        var reason = await FindProblemAsync(callbackUrl, cancellationToken);
        if (reason is not null)
        {
            CallbacksLog.UrlRefused(logger, reason);
        }
        return reason;
    }

    private async Task<string?> FindProblemAsync(string callbackUrl, CancellationToken cancellationToken)
    {
        if (!CallbackUrl.TryParse(callbackUrl, out var uri, out var reason))
        {
            return reason;
        }
        if (!allowedHosts.IsEmpty)
        {
            // Listed hosts are trusted as they are, private ones included (e.g. localhost for a client developer).
            var host = CallbackUrl.AddressOf(uri)?.ToString() ?? uri.IdnHost; // IP literals without brackets or an IPv6 zone
            return allowedHosts.Contains(host) ? null : $"callback-url host '{host}' is not on this server's callback allow-list.";
        }

        if (CallbackUrl.AddressOf(uri) is { } literal)
        {
            return PublicAddress.IsPublic(literal) ? null : $"callback-url host '{uri.Host}' is a non-public address.";
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
            return $"callback-url host '{uri.IdnHost}' could not be resolved in time.";
        }

        if (addresses.Length == 0)
        {
            return $"callback-url host '{uri.IdnHost}' could not be resolved.";
        }
        // Every address must be public: a name that also resolves to 127.0.0.1 could be connected there.
        return addresses.All(PublicAddress.IsPublic) ? null : $"callback-url host '{uri.IdnHost}' resolves to a non-public address.";
    }
}
