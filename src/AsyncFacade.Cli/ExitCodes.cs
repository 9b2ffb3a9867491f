using AsyncFacade.Client;

namespace AsyncFacade.Cli;

/// <summary>The documented exit codes (README, "Client library and CLI").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int JobFailed = 1;
    public const int Usage = 2;
    public const int Transient = 3;
    public const int Unauthorized = 4;
    public const int Expired = 5;

    /// <summary>Ctrl+C (128 + SIGINT); a job still running was cancelled on the server with DELETE.</summary>
    public const int Interrupted = 130;

    public static int For(FailureKind kind) => kind switch
    {
        FailureKind.Transient => Transient,
        FailureKind.Unauthorized => Unauthorized,
        FailureKind.Expired => Expired,
        _ => JobFailed,
    };
}
