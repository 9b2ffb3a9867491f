using System.Buffers;
using System.Globalization;
using System.Text;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// What the pager needs to know about a page besides its bytes, gathered while the parser walks it once: how many match
/// entries it held, the `meta.lastUpdated` of the last one (to whole milliseconds) with the ids that share it, whether
/// the entries came in ascending `_lastUpdated` order, and which entries were already written by an earlier page (a
/// query re-issued from a `_lastUpdated` bound returns the rows of that millisecond again). Ids are kept as bytes in one
/// reused buffer and only the last millisecond's become strings, so a page of a thousand entries allocates a handful.
/// </summary>
internal sealed class PageTrail
{
    private readonly HashSet<string>? written;
    private readonly ArrayBufferWriter<byte> idBytes = new(1024);
    private readonly List<int> idLengths = [];
    private readonly char[] chars = new char[128];

    /// <param name="written">Ids already written at the millisecond the query starts from; entries with these ids are left out.</param>
    public PageTrail(IReadOnlyCollection<string>? written = null)
    {
        this.written = written is { Count: > 0 } ? new HashSet<string>(written, StringComparer.Ordinal) : null;
    }

    /// <summary>Match entries on the page, written or not.</summary>
    public int Matches { get; private set; }

    /// <summary>Match entries left out because an earlier page wrote them.</summary>
    public int AlreadyWritten { get; private set; }

    public long? FirstMs { get; private set; }

    public long? LastMs { get; private set; }

    /// <summary>False once an entry came older than the one before it, or had no readable `meta.lastUpdated`.</summary>
    public bool Ascending { get; private set; } = true;

    /// <summary>The ids of the match entries at <see cref="LastMs"/>, in page order.</summary>
    public IReadOnlyList<string> IdsAtLast()
    {
        var ids = new List<string>(idLengths.Count);
        var span = idBytes.WrittenSpan;
        foreach (var length in idLengths)
        {
            ids.Add(Encoding.UTF8.GetString(span[..length]));
            span = span[length..];
        }
        return ids;
    }

    /// <summary>Notes one match entry; false when it was written before and must be left out.</summary>
    public bool Observe(ReadOnlySpan<byte> id, ReadOnlySpan<byte> lastUpdated)
    {
        Matches++;
        long? ms = TryParseMs(lastUpdated, out var value) ? value : null;
        if (ms is null || (LastMs is { } last && ms < last))
        {
            Ascending = false;
        }
        FirstMs ??= ms;
        if (ms != LastMs)
        {
            LastMs = ms;
            idBytes.ResetWrittenCount();
            idLengths.Clear();
        }
        idBytes.Write(id);
        idLengths.Add(id.Length);
        if (written is not null && IsWritten(id))
        {
            AlreadyWritten++;
            return false;
        }
        return true;
    }

    private bool IsWritten(ReadOnlySpan<byte> id)
    {
        if (id.Length > chars.Length)
        {
            return written!.Contains(Encoding.UTF8.GetString(id));
        }
        var length = Encoding.UTF8.GetChars(id, chars);
        return written!.GetAlternateLookup<ReadOnlySpan<char>>().Contains(chars.AsSpan(0, length));
    }

    // FHIR instants carry a zone and up to nanoseconds; the pager works in whole milliseconds, truncated, so a bound
    // `ge{ms}` never leaves out a row whose stored instant has a finer fraction.
    private bool TryParseMs(ReadOnlySpan<byte> instant, out long ms)
    {
        ms = 0;
        if (instant.IsEmpty || instant.Length > chars.Length)
        {
            return false;
        }
        var length = Encoding.UTF8.GetChars(instant, chars);
        if (!DateTimeOffset.TryParse(chars.AsSpan(0, length), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return false;
        }
        ms = Math.DivRem(value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerMillisecond, out var rest) - (rest < 0 ? 1 : 0);
        return true;
    }
}
