namespace AsyncFacade.Server.Async;

public sealed class AsyncOptions
{
    public const string Section = "Async";

    /// <summary>How long a finished job's status and result stay available; then a cleanup removes them.</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(24);
}
