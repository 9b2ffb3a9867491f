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

    // Limits shared by the parser and the catalogue, so the page offers exactly what a kick-off accepts.
    private const int MaxDurationSeconds = 3600;
    private const int MaxExpireSeconds = 86400;

    /// <summary>Every behaviour, in the order the grammar lists them: the one source for the docs' grammar, errors and the launch page.</summary>
    public static readonly IReadOnlyList<SimulatedBehaviourInfo> Catalogue =
    [
        SimulatedBehaviourInfo.Number("duration", 1, MaxDurationSeconds, "The job reads as running for N seconds after kick-off, X-Progress rising evenly."),
        SimulatedBehaviourInfo.Flag("no-retry-after", "Status answers while running carry no Retry-After: the client picks its own back-off."),
        SimulatedBehaviourInfo.Flag("retry-after-date", "Retry-After is an HTTP date instead of a number of seconds."),
        SimulatedBehaviourInfo.Flag("poll-429", "Every second status poll while running answers 429 Too Many Requests with Retry-After."),
        SimulatedBehaviourInfo.Flag("in-progress-200", "While running, the status answers 200 with an in-progress OperationOutcome: not the result."),
        SimulatedBehaviourInfo.OneOf("fail", "The job fails with a transient (try again) or fatal (do not) OperationOutcome.", "transient", "fatal"),
        SimulatedBehaviourInfo.Number("expire", 1, MaxExpireSeconds, "Results and files expire N seconds after the job completes (Expires header, then 404)."),
        SimulatedBehaviourInfo.Flag("require-token", "The manifest says requiresAccessToken: true and file downloads answer 401 without a bearer token."),
        SimulatedBehaviourInfo.Flag("partial", "$export behaves as if allowPartialManifests=true: 202 with manifest pages while running."),
        SimulatedBehaviourInfo.Flag("error-file", "The manifest lists an OperationOutcome error file besides the real output."),
    ];

    public static readonly string Grammar = "comma-separated behaviours: " + string.Join(", ", Catalogue.Select(b => b.Syntax));

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
                ("duration", _) when Int(value, 1, MaxDurationSeconds) is { } seconds => behaviour with { DurationSeconds = seconds },
                ("no-retry-after", null) => behaviour with { NoRetryAfter = true },
                ("retry-after-date", null) => behaviour with { RetryAfterDate = true },
                ("poll-429", null) => behaviour with { Poll429 = true },
                ("in-progress-200", null) => behaviour with { InProgress200 = true },
                ("fail", "transient" or "fatal") => behaviour with { Fail = value },
                ("expire", _) when Int(value, 1, MaxExpireSeconds) is { } seconds => behaviour with { ExpireSeconds = seconds },
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
