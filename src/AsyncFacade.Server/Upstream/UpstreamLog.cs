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
}
