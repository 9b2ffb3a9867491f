using System.Globalization;

namespace AsyncFacade.SampleUpstream.Faults;

/// <summary>
/// A list of faults, written the same way in the `X-Upstream-Fault` request header and in `SampleUpstream:Faults`:
/// comma-separated faults, each a kind with `;name=value` parameters, e.g. `503;n=2;retry-after=1, slow;ms=500;p=0.1`.
/// Kinds: 429, 500, 503, slow, drop, truncate, invalid-json. Parameters: p (probability 0–1), n (only the first n
/// attempts at each URL), retry-after (seconds, or `none`), ms (delay of `slow`), bytes (where drop/truncate cut the body),
/// path (only requests whose path contains it).
/// </summary>
public sealed class FaultPlan
{
    public const string Header = "X-Upstream-Fault";

    public const string Grammar = "comma-separated faults like '503;n=2;retry-after=1' or 'slow;ms=500;p=0.1'; kinds 429, 500, 503, slow, " +
        "drop, truncate, invalid-json; parameters p (0-1), n (1-1000), retry-after (0-3600 or none), ms (0-600000), bytes (0-1048576), path (text)";

    private static readonly Dictionary<string, FaultKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["429"] = FaultKind.TooManyRequests,
        ["500"] = FaultKind.InternalError,
        ["503"] = FaultKind.Unavailable,
        ["slow"] = FaultKind.Slow,
        ["drop"] = FaultKind.Drop,
        ["truncate"] = FaultKind.Truncate,
        ["invalid-json"] = FaultKind.InvalidJson,
    };

    private FaultPlan(string text, IReadOnlyList<UpstreamFault> faults)
    {
        Text = text;
        Faults = faults;
    }

    /// <summary>The plan as written; attempts are counted per plan text, so two clients with different plans do not interfere.</summary>
    public string Text { get; }

    public IReadOnlyList<UpstreamFault> Faults { get; }

    public static bool TryParse(string? text, out FaultPlan? plan, out string? error)
    {
        plan = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var faults = new List<UpstreamFault>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(part, out error) is not { } fault)
            {
                error = $"'{part}': {error}. Expected {Grammar}.";
                return false;
            }
            faults.Add(fault);
        }
        plan = faults.Count == 0 ? null : new FaultPlan(text.Trim(), faults);
        return true;
    }

    private static UpstreamFault? Parse(string text, out string? error)
    {
        error = null;
        var pieces = text.Split(';', StringSplitOptions.TrimEntries);
        if (!Kinds.TryGetValue(pieces[0], out var kind))
        {
            error = $"unknown fault kind '{pieces[0]}'";
            return null;
        }
        var fault = new UpstreamFault(kind);
        foreach (var parameter in pieces.Skip(1))
        {
            var (name, value) = parameter.Split('=', 2) is [var key, var raw] ? (key.Trim().ToLowerInvariant(), raw.Trim()) : (parameter, "");
            UpstreamFault? next = name switch
            {
                "p" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1 =>
                    fault with { Probability = p },
                "n" when Int(value, 1, 1000) is { } n => fault with { FirstAttempts = n },
                "retry-after" when value.Equals("none", StringComparison.OrdinalIgnoreCase) => fault with { RetryAfterSeconds = null },
                "retry-after" when Int(value, 0, 3600) is { } seconds => fault with { RetryAfterSeconds = seconds },
                "ms" when Int(value, 0, 600_000) is { } ms => fault with { DelayMilliseconds = ms },
                "bytes" when Int(value, 0, 1 << 20) is { } bytes => fault with { Bytes = bytes },
                "path" when value.Length > 0 => fault with { PathContains = value },
                _ => null,
            };
            if (next is null)
            {
                error = $"bad parameter '{parameter}'";
                return null;
            }
            fault = next;
        }
        return fault;
    }

    private static int? Int(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max ? i : null;
}
