using Yarp.ReverseProxy.Forwarder;

namespace AsyncFacade.Server.Upstream;

internal static partial class UpstreamLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Forwarding {Method} {Path} to the upstream failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string method, PathString path, ForwarderError error, Exception? exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Client went away while forwarding {Method} {Path}: {Error}")]
    public static partial void ClientCancelled(ILogger logger, string method, PathString path, ForwarderError error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Copying the upstream body for {Path} failed; response aborted")]
    public static partial void BodyCopyFailed(ILogger logger, PathString path, Exception exception);

    // The token, secret and assertion never appear in these messages: client id, endpoint and lifetime only.
    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Got an upstream access token for client {ClientId} from {TokenUrl}, valid {LifetimeSeconds} s")]
    public static partial void TokenIssued(ILogger logger, string clientId, string tokenUrl, int lifetimeSeconds);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "The upstream's token endpoint refused client {ClientId}: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "The upstream answered 401 to {Method} {Path}; renewed the token (call sent again: {Resent})")]
    public static partial void TokenRenewed(ILogger logger, string method, string path, bool resent);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "The upstream refused the facade's credentials on {Method} {Path} ({StatusCode})")]
    public static partial void CredentialsRefused(ILogger logger, string method, string path, int statusCode);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "The upstream's CapabilityStatement could not be read: {Reason}")]
    public static partial void CapabilitiesUnavailable(ILogger logger, string reason);
}
