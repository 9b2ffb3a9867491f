using Microsoft.Extensions.Logging;

namespace AsyncFacade.SampleUpstream;

/// <summary>Log messages of the sample upstream (event ids 9xxx).</summary>
internal static partial class SampleUpstreamLog
{
    [LoggerMessage(9001, LogLevel.Information, "Sample upstream serving {Patients} patients (seed {Seed}) at {BasePath}")]
    public static partial void Started(ILogger logger, int patients, int seed, string basePath);

    [LoggerMessage(9002, LogLevel.Debug, "Applied {Count} writes at {LastUpdated}")]
    public static partial void WritesApplied(ILogger logger, int count, string lastUpdated);

    [LoggerMessage(9003, LogLevel.Debug, "Rejected {Method} {Path} with {StatusCode} ({IssueCode}): {Diagnostics}")]
    public static partial void Rejected(ILogger logger, string method, string path, int statusCode, string issueCode, string diagnostics);

    [LoggerMessage(9004, LogLevel.Debug, "Client went away while {Path} was being written")]
    public static partial void ClientAborted(ILogger logger, string path);

    [LoggerMessage(9005, LogLevel.Information, "Injected fault {Kind} into {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string kind, string method, string path);
}
