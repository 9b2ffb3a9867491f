using System.Globalization;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Simulation;

/// <summary>
/// What a client developer asked a job to do wrong, parsed from `X-Simulate` (kept with the job's request):
/// comma-separated behaviours, e.g. `duration=20, poll-429, retry-after-date`.
/// </summary>
internal sealed record SimulatedBehaviour
{
    public const string Header = "X-Simulate";

    public const string UpstreamHeader = "X-Simulate-Upstream";

    public const string Grammar = "comma-separated behaviours: duration=N (1-3600 s), no-retry-after, retry-after-date, poll-429, in-progress-200, " +
        "fail=transient|fatal, expire=N (1-86400 s), require-token, partial, error-file";

    /// <summary>The job reads as running until this long after kick-off, with X-Progress rising evenly.</summary>
    public int? DurationSeconds { get; init; }

    public bool NoRetryAfter { get; init; }

    public bool RetryAfterDate { get; init; }

    /// <summary>Every second status poll while running is answered 429.</summary>
    public bool Poll429 { get; init; }

    /// <summary>While running, the status answers 200 with an in-progress OperationOutcome (a trap for clients).</summary>
    public bool InProgress200 { get; init; }

    /// <summary>"transient" or "fatal": the job fails with that kind of OperationOutcome.</summary>
    public string? Fail { get; init; }

    /// <summary>Results and files expire this long after the job (visibly) completes.</summary>
    public int? ExpireSeconds { get; init; }

    public bool RequireToken { get; init; }

    public bool Partial { get; init; }

    public bool ErrorFile { get; init; }

    /// <summary>The behaviours kept with a job, or null for a job that simulates nothing.</summary>
    public static SimulatedBehaviour? Of(JobRecord job) =>
        job.Request.Headers.TryGetValue(Header, out var text) && TryParse(text, out var behaviour, out _) ? behaviour : null;

    public static bool TryParse(string text, out SimulatedBehaviour? behaviour, out string? error)
    {
        behaviour = new SimulatedBehaviour();
        error = null;
        foreach (var token in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = token.Split('=', 2) is [var n, var v] ? (n.Trim().ToLowerInvariant(), v.Trim().ToLowerInvariant()) : (token.ToLowerInvariant(), null);
            SimulatedBehaviour? next = (name, value) switch
            {
                ("duration", _) when Int(value, 1, 3600) is { } seconds => behaviour with { DurationSeconds = seconds },
                ("no-retry-after", null) => behaviour with { NoRetryAfter = true },
                ("retry-after-date", null) => behaviour with { RetryAfterDate = true },
                ("poll-429", null) => behaviour with { Poll429 = true },
                ("in-progress-200", null) => behaviour with { InProgress200 = true },
                ("fail", "transient" or "fatal") => behaviour with { Fail = value },
                ("expire", _) when Int(value, 1, 86400) is { } seconds => behaviour with { ExpireSeconds = seconds },
                ("require-token", null) => behaviour with { RequireToken = true },
                ("partial", null) => behaviour with { Partial = true },
                ("error-file", null) => behaviour with { ErrorFile = true },
                _ => null,
            };
            if (next is null)
            {
                error = $"{Header}: '{token}' is not a behaviour. Expected {Grammar}.";
                behaviour = null;
                return false;
            }
            behaviour = next;
        }
        return true;
    }

    /// <summary>When the job may first read as finished: its real end, or the simulated duration after kick-off if later.</summary>
    public DateTimeOffset VisiblyDoneAt(JobRecord job) =>
        DurationSeconds is { } seconds && job.CreatedAt.AddSeconds(seconds) is var until && until > (job.CompletedAt ?? DateTimeOffset.MinValue)
            ? until
            : job.CompletedAt ?? DateTimeOffset.MaxValue;

    private static int? Int(string? value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max ? i : null;
}
