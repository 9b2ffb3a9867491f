using System.Globalization;
using System.Text.RegularExpressions;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Reads `_since`/`_until`. The IG types them as instant; we also take a FHIR dateTime as long as it names a whole day,
/// because a year or year-month bound is too vague to page on. FHIR requires a zone once a time is given.
/// </summary>
internal static partial class FhirDateTimeParameter
{
    // FHIR R4 dateTime shape restricted to "date" or "date + time + zone"; seconds are mandatory in FHIR.
    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})(T(?<h>\d{2}):(?<min>\d{2}):(?<s>\d{2})(\.(?<f>\d{1,9}))?(?<z>Z|[+-]\d{2}:\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(string group) => int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

        int year = Part("y"), month = Part("m"), day = Part("d");
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (!match.Groups["h"].Success)
        {
            // A bare date has no zone in FHIR; we read it as UTC midnight so the same request always means the same window.
            value = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            return true;
        }

        // Leap second 60 is legal FHIR but not representable; rejecting it is clearer than silently moving it.
        int hour = Part("h"), minute = Part("min"), second = Part("s");
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        var zone = match.Groups["z"].Value;
        if (zone != "Z")
        {
            int zoneHours = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
            int zoneMinutes = int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture);
            if (zoneHours > 14 || zoneMinutes > 59 || (zoneHours == 14 && zoneMinutes != 0))
            {
                return false;
            }

            offset = new TimeSpan(zoneHours, zoneMinutes, 0);
            offset = zone[0] == '-' ? offset.Negate() : offset;
        }

        // Ticks hold 7 fractional digits; FHIR allows 9, so the last two are dropped rather than rounded up past a boundary.
        var fraction = match.Groups["f"].Value;
        long ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        return true;
    }
}
