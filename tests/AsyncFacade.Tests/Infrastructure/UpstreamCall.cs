namespace AsyncFacade.Tests.Infrastructure;

/// <summary>One request a test upstream received: its unescaped path and query, when it started and ended (null: still
/// in flight), and whether its caller went away before the answer.</summary>
public sealed record UpstreamCall(string Url, TimeSpan Started, TimeSpan? Ended, bool Aborted)
{
    public override string ToString() => $"{Started.TotalSeconds:F2}s–{(Ended is { } end ? $"{end.TotalSeconds:F2}s" : "in flight")}{(Aborted ? " aborted" : "")} {Url}";
}
