using System.Net;
using System.Text.RegularExpressions;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// One status request as a client saw it: which node it went to, when it was sent and answered, and the answer
/// (null <see cref="Status"/>: no answer at all, e.g. connection refused while the node was down).
/// </summary>
public sealed partial record StatusObservation(Uri Node, TimeSpan Sent, TimeSpan Received, HttpStatusCode? Status, string? RetryAfter, string? Progress,
    string? Body, string? Failure)
{
    public bool Answered => Status is not null;

    /// <summary>One GET of the status URL; a node that does not answer (refused, reset, timed out) is recorded, not thrown.</summary>
    public static async Task<StatusObservation> ProbeAsync(HttpClient http, Uri node, string statusPath, Func<TimeSpan> now, CancellationToken cancellationToken)
    {
        var sent = now();
        try
        {
            using var response = await http.GetAsync(new Uri(node, statusPath), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new StatusObservation(node, sent, now(), response.StatusCode, response.Headers.RetryAfter?.ToString(), AsyncClient.Progress(response),
                response.StatusCode == HttpStatusCode.Accepted ? null : body, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new StatusObservation(node, sent, now(), null, null, null, null, ex.GetBaseException().Message);
        }
    }

    /// <summary>A number the X-Progress text puts before <paramref name="word"/> ("3,210 resources" → 3210), or null.</summary>
    public long? Counter(string word)
    {
        var match = Regex.Match(Progress ?? "", @"(\d[\d,]*) " + Regex.Escape(word) + @"\b");
        return match.Success ? long.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>"2 of 5 files" in the X-Progress text, or null.</summary>
    public (long Done, long Total)? Fraction()
    {
        var match = FractionPattern().Match(Progress ?? "");
        return match.Success ? (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value)) : null;
    }

    public override string ToString() =>
        $"{Sent.TotalSeconds,7:F2}s {Node.Authority} {(Status is { } s ? ((int)s).ToString() : "no answer")} {Progress ?? Failure ?? ""}";

    [GeneratedRegex(@"(\d+) of (\d+) ")]
    private static partial Regex FractionPattern();
}
