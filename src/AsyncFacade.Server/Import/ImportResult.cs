namespace AsyncFacade.Server.Import;

/// <summary>What a finished import did, stored as the job's result; the manifest is rendered from it.</summary>
public sealed record ImportResult(DateTimeOffset TransactionTime, string Request, IReadOnlyList<ImportOutput> Output, IReadOnlyList<ImportErrorReport> Error);

/// <summary>One input: its declared type, the resources written from it, and its URL as the client gave it.</summary>
public sealed record ImportOutput(string Type, long Count, string InputUrl);

/// <summary>An error report under the job's files (`OperationOutcome-3.ndjson`), its line count, and the input it is about.</summary>
public sealed record ImportErrorReport(string Name, long Count, string? InputUrl);
