using System.Text.Json;

namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>Everything the jobs view shows about one job.</summary>
/// <param name="Mode">How the result is served: `manifest`, `bundle` or `redirect`.</param>
/// <param name="StatusUrl">The job's status URL, as its owner polls it.</param>
/// <param name="Result">What the finished job produced, in a sentence (the manifest's files and resources, the upstream's status).</param>
/// <param name="Outcome">The OperationOutcome of a failed job.</param>
/// <param name="Units">An export's units, in plan order; empty for other kinds and before planning.</param>
public sealed record JobDetail(JobSummary Job, string Mode, string StatusUrl, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    JobRequestView Request, string? Result, JsonElement? Outcome, IReadOnlyList<JobUnitView> Units);
