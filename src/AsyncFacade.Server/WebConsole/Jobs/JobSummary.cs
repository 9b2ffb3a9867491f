namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>One row of the jobs view.</summary>
/// <param name="Kind">For people: `$export system`, `$export Group 42`, `$import`, `GET Patient?…` (see <see cref="Server.Jobs.JobLabel"/>).</param>
/// <param name="KindCode">The stored kind (`export`, `import`, `interaction`), as the `kind` filter takes it.</param>
/// <param name="Progress">While queued or running, the X-Progress text the status URL serves; afterwards the last one stored.</param>
public sealed record JobSummary(string Id, string Kind, string KindCode, string Owner, string State, string? Progress, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt);
