namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>A page of the jobs view, newest first.</summary>
/// <param name="Next">Pass as `before` for the next (older) page; null on the last page.</param>
public sealed record JobList(IReadOnlyList<JobSummary> Jobs, string? Next);
