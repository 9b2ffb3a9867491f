namespace AsyncFacade.Bench;

/// <summary>
/// One end-to-end export as a client sees it. ManifestSeconds (kick-off to 200) is kept apart from Seconds
/// (kick-off to last byte downloaded) to show how much of the time the download takes; StatusPolls shows
/// whether long polling held the client or let it spin. Estimates: what each `202` said was left (see <see cref="EstimateSampler"/>).
/// </summary>
internal sealed record ExportRun(long Resources, int Files, long ErrorLines, IReadOnlyList<string> Types, int StatusPolls, double ManifestSeconds, double Seconds,
    IReadOnlyList<EstimateSample> Estimates);
