namespace AsyncFacade.Bench;

/// <summary>One export as seen by <see cref="IdExportClient"/>: every id it delivered, lines beyond distinct ids, and its error[] lines.</summary>
internal sealed record IdExportRun(HashSet<string> Ids, long Lines, IReadOnlyList<string> Errors, double ManifestSeconds, double Seconds);
