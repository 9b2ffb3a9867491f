namespace AsyncFacade.Server.Jobs;

/// <summary>
/// A page of top-level jobs (units never), newest first. Paging is by key, never by offset: <see cref="Before"/> is the
/// last job of the previous page, so a page costs the same however deep it is and new jobs do not shift it.
/// </summary>
public sealed record JobQuery
{
    public const int MaxLimit = 200;

    public JobState? State { get; init; }

    public string? Owner { get; init; }

    public string? Kind { get; init; }

    /// <summary>How many jobs at most; the store clamps it to 1..<see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Only jobs that sort after this one (created earlier, or at the same instant with a smaller id).</summary>
    public JobCursor? Before { get; init; }

    public int ClampedLimit => Math.Clamp(Limit, 1, MaxLimit);
}
