namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>One unit of an export: a type, or one slice of a large type.</summary>
/// <param name="Slice">Which part of the type: `part 2, _lastUpdated gt… le…`, `patient blocks`; null when the unit is the whole type.</param>
/// <param name="Resources">Written so far (its last checkpoint), or in all once it finished.</param>
/// <param name="Expected">The upstream's count at planning, when it can count.</param>
/// <param name="Error">Why it failed (the OperationOutcome's first diagnostics).</param>
public sealed record JobUnitView(string Id, string Type, string? Slice, string State, long Resources, long? Expected, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, string? Error);
