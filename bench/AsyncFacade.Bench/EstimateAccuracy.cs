namespace AsyncFacade.Bench;

/// <summary>
/// How far the time-left estimates of a set of runs were from the truth, as ratios estimate / actual. Answers from the
/// job's last second are left out: both headers count whole seconds, so there a ratio measures the rounding.
/// </summary>
internal sealed record EstimateAccuracy(int Answers, double Median, double Min, double Max, double WithinFactor2, double PastTheEnd)
{
    public static EstimateAccuracy? Of(IEnumerable<ExportRun> runs, Func<EstimateSample, double?> estimate)
    {
        var ratios = runs.SelectMany(run => run.Estimates
                .Where(s => run.ManifestSeconds - s.AtSeconds >= 1 && estimate(s) is not null)
                .Select(s => estimate(s)!.Value / (run.ManifestSeconds - s.AtSeconds)))
            .ToList();
        return ratios.Count == 0
            ? null
            : new EstimateAccuracy(ratios.Count, Measurements.Median(ratios), ratios.Min(), ratios.Max(),
                ratios.Count(r => r is >= 0.5 and <= 2) / (double)ratios.Count, ratios.Count(r => r > 1) / (double)ratios.Count);
    }

    public static void Print(IReadOnlyList<ExportRun> runs)
    {
        var answers = runs.Sum(r => r.Estimates.Count);
        var inLastSecond = runs.Sum(r => r.Estimates.Count(s => r.ManifestSeconds - s.AtSeconds < 1));
        Console.WriteLine($"time left as the status told it: {answers} answers 202 (polled every 100 ms beside the long poll), " +
                          $"{runs.Sum(r => r.Estimates.Count(s => s.ProgressSeconds is not null))} with `~N s left`; {inLastSecond} in the job's last second left out");
        Console.WriteLine("| estimate | answers | estimate / actual: median | min | max | within ×2 | past the end (> 1) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("X-Progress `~N s left`", Of(runs, s => s.ProgressSeconds));
        Row("Retry-After", Of(runs, s => s.RetryAfterSeconds));
    }

    private static void Row(string what, EstimateAccuracy? accuracy) => Console.WriteLine(accuracy is null
        ? $"| {what} | 0 | – | – | – | – | – |"
        : $"| {what} | {accuracy.Answers} | {accuracy.Median:F2} | {accuracy.Min:F2} | {accuracy.Max:F2} | {accuracy.WithinFactor2:P0} | {accuracy.PastTheEnd:P0} |");
}
