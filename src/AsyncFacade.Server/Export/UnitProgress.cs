using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>One unit of an export as <see cref="ExportEstimate"/> sees it: its planned count and what its record says.</summary>
/// <param name="Expected">The upstream's count at planning; null when it cannot count.</param>
/// <param name="Resources">Written so far (its last checkpoint), or in all once it finished.</param>
/// <param name="StartedAt">When its first run claimed it; null while queued.</param>
/// <param name="MeasuredAt">
/// When its record last changed: its last checkpoint, a later heartbeat, or its end. <paramref name="Resources"/> were
/// written by then, so a rate over it is never faster than the truth, and closer than one over the time of the poll.
/// </param>
internal sealed record UnitProgress(long? Expected, JobState State, long Resources, DateTimeOffset? StartedAt, DateTimeOffset MeasuredAt)
{
    /// <summary>How long it has run up to <see cref="MeasuredAt"/>; null while queued.</summary>
    public double? SecondsRun(DateTimeOffset now) => StartedAt is { } started
        ? Math.Max(0, ((MeasuredAt < now ? MeasuredAt : now) - started).TotalSeconds)
        : null;
}
