namespace AsyncFacade.Cli;

/// <summary>One manifest file in the summary: where it was saved, the manifest count and the lines found.</summary>
internal sealed record SummaryFile(string Role, string? Type, string Url, string? Path, long? Count, long? Lines, long? Bytes, long? ResumedFrom, bool? Restarted);
