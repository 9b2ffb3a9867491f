namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>
/// Formats Unix-millisecond instants and dates as FHIR text straight into UTF-8 spans. Hand-rolled because a
/// 1000-entry page formats a few thousand dates and the culture-aware formatters showed up in profiles.
/// </summary>
internal static class FhirInstant
{
    /// <summary>Length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int InstantLength = 24;

    public const int DateLength = 10;

    public static readonly long WindowStartMs = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Exclusive end of the window that generated <c>meta.lastUpdated</c> values are spread over.</summary>
    public static readonly long WindowEndMs = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static int FormatInstant(long unixMs, Span<byte> destination)
    {
        var time = DateTime.UnixEpoch.AddMilliseconds(unixMs);
        WriteDate(time, destination);
        destination[10] = (byte)'T';
        Two(time.Hour, destination[11..]);
        destination[13] = (byte)':';
        Two(time.Minute, destination[14..]);
        destination[16] = (byte)':';
        Two(time.Second, destination[17..]);
        destination[19] = (byte)'.';
        var ms = time.Millisecond;
        destination[20] = (byte)('0' + (ms / 100));
        Two(ms % 100, destination[21..]);
        destination[23] = (byte)'Z';
        return InstantLength;
    }

    public static int FormatDate(long unixMs, Span<byte> destination)
    {
        WriteDate(DateTime.UnixEpoch.AddMilliseconds(unixMs), destination);
        return DateLength;
    }

    public static string ToInstantString(long unixMs)
    {
        Span<byte> buffer = stackalloc byte[InstantLength];
        FormatInstant(unixMs, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    private static void WriteDate(DateTime time, Span<byte> destination)
    {
        var year = time.Year;
        Two(year / 100, destination);
        Two(year % 100, destination[2..]);
        destination[4] = (byte)'-';
        Two(time.Month, destination[5..]);
        destination[7] = (byte)'-';
        Two(time.Day, destination[8..]);
    }

    private static void Two(int value, Span<byte> destination)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }
}
