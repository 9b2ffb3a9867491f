using AsyncFacade.Server.Security;

namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// Checked at kick-off: returns null when the `callback-url` is acceptable, else a reason for the client (400 OperationOutcome).
/// The dispatcher checks the addresses again when it connects, because DNS may answer differently by then (rebinding).
/// </summary>
internal sealed class CallbackUrlPolicy([FromKeyedServices(CallbackOptions.Section)] AllowedHostList allowedHosts, ILogger<CallbackUrlPolicy> logger)
{
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
            var host = PublicHost.ListedNameOf(uri);
            return allowedHosts.Contains(host) ? null : $"callback-url host '{host}' is not on this server's callback allow-list.";
        }
        return await PublicHost.CheckAsync(uri, cancellationToken) is { } problem ? "callback-url " + problem : null;
    }
}
