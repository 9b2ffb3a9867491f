namespace AsyncFacade.Cli;

/// <summary>One OperationOutcome issue in the summary (from a failure, or from an error file with its line).</summary>
internal sealed record SummaryIssue(string? Severity, string? Code, string? Diagnostics, string? File = null, long? Line = null);
