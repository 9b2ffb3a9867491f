using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace AsyncFacade.Bench;

/// <summary>
/// Polls a running job's status URL without long polling, beside the client that waits for it, and keeps what every
/// `202` promised: the X-Progress `~N s left` and the Retry-After. Once the job is done, each is set against the time
/// that was really left. The server must not throttle it (Async:ThrottleOverPolling=false): it polls on purpose.
/// </summary>
internal static partial class EstimateSampler
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <param name="clock">Started at the kick-off: sample times are on the same clock as the job's end.</param>
    public static async Task<IReadOnlyList<EstimateSample>> SampleAsync(HttpClient client, Uri statusUrl, Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<EstimateSample>();
        while (!stop.IsCancellationRequested)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            poll.Headers.TryAddWithoutValidation("Accept", "application/json");
            using (var response = await client.SendAsync(poll, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None))
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    break; // done (or gone): the waiting client reports how
                }
                var progress = response.Headers.TryGetValues("X-Progress", out var values) ? values.First() : "";
                var left = Left().Match(progress);
                samples.Add(new EstimateSample(clock.Elapsed.TotalSeconds,
                    left.Success ? double.Parse(left.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : null,
                    response.Headers.RetryAfter?.Delta?.TotalSeconds));
            }
            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return samples;
    }

    [GeneratedRegex(@"~([\d,]+) s left")]
    private static partial Regex Left();
}

/// <param name="AtSeconds">Since the kick-off, when the answer came.</param>
/// <param name="ProgressSeconds">X-Progress `~N s left`, if it said.</param>
internal sealed record EstimateSample(double AtSeconds, double? ProgressSeconds, double? RetryAfterSeconds);
