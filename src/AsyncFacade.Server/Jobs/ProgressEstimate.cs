using System.Globalization;
using System.Text.RegularExpressions;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The "~N s left" part of a job's progress text: written by handlers that can estimate (export), read by the
/// status endpoint so `Retry-After` brings the client back before the job should be done (see RetryAfterPolicy).
/// </summary>
public static partial class ProgressEstimate
{
    public static string Format(double secondsLeft) => $"~{Math.Ceiling(secondsLeft).ToString("N0", CultureInfo.InvariantCulture)} s left";

    public static bool TryRead(string? progress, out int secondsLeft)
    {
        secondsLeft = 0;
        var match = progress is null ? null : Pattern().Match(progress);
        return match is { Success: true } && int.TryParse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out secondsLeft);
    }

    [GeneratedRegex(@"~([\d,]+) s left")]
    private static partial Regex Pattern();
}
