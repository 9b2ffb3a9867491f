using System.Globalization;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// Parses one <c>_lastUpdated</c> value (prefix + FHIR date of any precision) into a half-open interval of Unix
/// milliseconds. The value's precision defines its own range (FHIR search §3.1.1.5.6): <c>2024-03</c> is all of
/// March, so <c>gt2024-03</c> starts in April.
/// </summary>
internal static class LastUpdatedFilter
{
    public static bool TryParse(string raw, out long fromMs, out long toMs, out string? error, out bool unsupported)
    {
        fromMs = long.MinValue;
        toMs = long.MaxValue;
        error = null;
        unsupported = false;
        var prefix = raw.Length > 2 && char.IsAsciiLetterLower(raw[0]) && char.IsAsciiLetterLower(raw[1]) ? raw[..2] : "eq";
        var value = prefix == "eq" && !raw.StartsWith("eq", StringComparison.Ordinal) ? raw : raw[2..];
        if (!TryParseRange(value, out var start, out var end))
        {
            error = $"_lastUpdated value '{raw}' is not a FHIR date, dateTime or instant.";
            return false;
        }
        switch (prefix)
        {
            case "eq": fromMs = start; toMs = end; break;
            case "ge": fromMs = start; break;
            case "gt" or "sa": fromMs = end; break;
            case "le": toMs = end; break;
            case "lt" or "eb": toMs = start; break;
            default:
                unsupported = true;
                error = $"_lastUpdated prefix '{prefix}' is not supported (use eq, gt, ge, lt, le, sa or eb).";
                return false;
        }
        return true;
    }

    private static bool TryParseRange(string value, out long start, out long end)
    {
        start = end = 0;
        if (value.Length is 4 or 7 or 10)
        {
            var formats = value.Length switch { 4 => "yyyy", 7 => "yyyy-MM", _ => "yyyy-MM-dd" };
            if (!DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                return false;
            }
            var next = value.Length switch { 4 => date.AddYears(1), 7 => date.AddMonths(1), _ => date.AddDays(1) };
            start = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeMilliseconds();
            end = new DateTimeOffset(next, TimeSpan.Zero).ToUnixTimeMilliseconds();
            return true;
        }
        return TryParseDateTime(value, out start, out end);
    }

    private static bool TryParseDateTime(string value, out long start, out long end)
    {
        start = end = 0;
        if (value.Length < 16 || value[10] != 'T')
        {
            return false;
        }
        // An unencoded '+' in a query string arrives as a space: read "…00 01:00" as "…00+01:00".
        var text = value.Replace(' ', '+');
        var zoneAt = text.IndexOfAny(['Z', '+', '-'], 11);
        var local = zoneAt < 0 ? text : text[..zoneAt];
        var zone = zoneAt < 0 ? "Z" : text[zoneAt..];
        long precisionMs = local.Length switch
        {
            16 => 60_000,   // yyyy-MM-ddTHH:mm
            19 => 1_000,    // …:ss
            _ => 0,
        };
        if (precisionMs == 0)
        {
            if (local.Length < 21 || local[19] != '.')
            {
                return false;
            }
            var digits = local.Length - 20;
            precisionMs = digits >= 3 ? 1 : (long)Math.Pow(10, 3 - digits);
        }
        if (zone != "Z" && !(zone.Length == 6 && zone[3] == ':'))
        {
            return false;
        }
        var normalized = local + (zone == "Z" ? "+00:00" : zone);
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return false;
        }
        start = instant.ToUnixTimeMilliseconds();
        end = start + precisionMs;
        return true;
    }
}
