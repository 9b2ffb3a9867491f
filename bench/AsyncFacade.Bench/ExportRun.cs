namespace AsyncFacade.Bench;

/// <summary>
/// One end-to-end export as a client sees it. ManifestSeconds (kick-off to 200) is kept apart from Seconds
/// (kick-off to last byte downloaded) to show how much of the time the download takes.
/// </summary>
internal sealed record ExportRun(long Resources, int Files, long ErrorLines, IReadOnlyList<string> Types, double ManifestSeconds, double Seconds);
