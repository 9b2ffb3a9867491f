namespace AsyncFacade.Client.Bulk;

/// <summary>One issue of an error file's OperationOutcome line.</summary>
public sealed record ErrorIssue(string File, long Line, string? Severity, string? Code, string? Diagnostics);
