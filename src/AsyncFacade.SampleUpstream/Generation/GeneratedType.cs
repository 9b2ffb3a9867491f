using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>
/// One generated resource type: its size, its id scheme (<c>{prefix}-{index}</c>) and how to write resource
/// number <c>index</c> as FHIR JSON. Nothing is stored: a resource is a pure function of (seed, type, index).
/// <c>meta.lastUpdated</c> is non-decreasing in the index and spread over a fixed window, so a
/// <c>_lastUpdated</c> range maps to an index range by binary search.
/// </summary>
internal abstract class GeneratedType
{
    /// <summary>Ids are at most prefix + 19 digits; callers size their buffers with this.</summary>
    public const int MaxIdLength = 32;

    private readonly byte[] idPrefix;
    private readonly ulong stream;

    protected GeneratedType(string resourceType, string idPrefix, long count, int perPatient, SampleCounts counts, int seed)
    {
        ResourceType = resourceType;
        IdPrefix = idPrefix + "-";
        this.idPrefix = Encoding.ASCII.GetBytes(IdPrefix);
        Count = count;
        PerPatient = perPatient;
        Counts = counts;
        Seed = (ulong)(uint)seed;
        stream = DeterministicRandom.StreamOf(resourceType);
    }

    public string ResourceType { get; }

    public string IdPrefix { get; }

    public long Count { get; }

    /// <summary>Resources per patient for patient-compartment types (stored in contiguous blocks); 0 otherwise.</summary>
    public int PerPatient { get; }

    protected SampleCounts Counts { get; }

    /// <summary>
    /// Every <c>LastUpdatedBurst</c> consecutive indices share one <c>meta.lastUpdated</c> millisecond (that of the first of
    /// them), as a bulk load writes many rows in one instant; still non-decreasing, so the binary search below holds.
    /// </summary>
    public int LastUpdatedBurst { get; init; } = 1;

    protected ulong Seed { get; }

    public long LastUpdatedMs(long index)
    {
        index -= index % LastUpdatedBurst;
        var window = FhirInstant.WindowEndMs - FhirInstant.WindowStartMs;
        return Count == 0 ? FhirInstant.WindowStartMs : FhirInstant.WindowStartMs + (long)((Int128)index * window / Count);
    }

    /// <summary>The first index whose lastUpdated is at or after <paramref name="unixMs"/> (Count when none).</summary>
    public long FirstIndexAtOrAfter(long unixMs)
    {
        long low = 0, high = Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (LastUpdatedMs(mid) >= unixMs)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }

    public bool TryParseId(string id, out long index)
    {
        index = -1;
        if (!id.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var digits = id.AsSpan(IdPrefix.Length);
        // One spelling per resource: reject "obs-007" so two ids never name the same generated resource.
        if (digits.IsEmpty || digits.Length > 18 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        var value = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        if (value >= Count)
        {
            return false;
        }
        index = value;
        return true;
    }

    public int FormatId(long index, Span<byte> destination)
    {
        idPrefix.CopyTo(destination);
        Utf8Formatter.TryFormat(index, destination[idPrefix.Length..], out var written);
        return idPrefix.Length + written;
    }

    public string FormatId(long index) => string.Concat(IdPrefix, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public (long Start, long End) PatientBlock(long patientIndex) => (patientIndex * PerPatient, (patientIndex + 1) * PerPatient);

    public void Write(Utf8JsonWriter writer, long index)
    {
        Span<byte> buffer = stackalloc byte[MaxIdLength];
        writer.WriteStartObject();
        writer.WriteString("resourceType"u8, ResourceType);
        writer.WriteString("id"u8, buffer[..FormatId(index, buffer)]);
        writer.WriteStartObject("meta"u8);
        writer.WriteString("versionId"u8, "1"u8);
        WriteInstant(writer, "lastUpdated"u8, LastUpdatedMs(index));
        writer.WriteEndObject();
        var random = RandomOf(index);
        WriteBody(writer, index, ref random);
        writer.WriteEndObject();
    }

    /// <summary>The random sequence resource <paramref name="index"/>'s body is written from (search filters replay it).</summary>
    protected DeterministicRandom RandomOf(long index) => new(Seed, stream, index);

    protected abstract void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random);

    protected static void WriteReference(Utf8JsonWriter writer, ReadOnlySpan<byte> property, ReadOnlySpan<byte> typeAndPrefix, long index)
    {
        writer.WritePropertyName(property);
        WriteReferenceObject(writer, typeAndPrefix, index);
    }

    protected static void WriteReferenceObject(Utf8JsonWriter writer, ReadOnlySpan<byte> typeAndPrefix, long index)
    {
        Span<byte> buffer = stackalloc byte[64];
        typeAndPrefix.CopyTo(buffer);
        Utf8Formatter.TryFormat(index, buffer[typeAndPrefix.Length..], out var written);
        writer.WriteStartObject();
        writer.WriteString("reference"u8, buffer[..(typeAndPrefix.Length + written)]);
        writer.WriteEndObject();
    }

    protected static void WriteCoding(Utf8JsonWriter writer, Coded code)
    {
        writer.WriteStartObject();
        writer.WriteString("system"u8, code.System);
        writer.WriteString("code"u8, code.Code);
        writer.WriteString("display"u8, code.Display);
        writer.WriteEndObject();
    }

    protected static void WriteConcept(Utf8JsonWriter writer, ReadOnlySpan<byte> property, Coded code, bool withText = false)
    {
        writer.WritePropertyName(property);
        WriteConceptObject(writer, code, withText);
    }

    protected static void WriteConceptObject(Utf8JsonWriter writer, Coded code, bool withText = false)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("coding"u8);
        WriteCoding(writer, code);
        writer.WriteEndArray();
        if (withText)
        {
            writer.WriteString("text"u8, code.Display);
        }
        writer.WriteEndObject();
    }

    protected static void WriteInstant(Utf8JsonWriter writer, ReadOnlySpan<byte> property, long unixMs)
    {
        Span<byte> buffer = stackalloc byte[FhirInstant.InstantLength];
        FhirInstant.FormatInstant(unixMs, buffer);
        writer.WriteString(property, buffer);
    }

    protected static void WriteDate(Utf8JsonWriter writer, ReadOnlySpan<byte> property, long unixMs)
    {
        Span<byte> buffer = stackalloc byte[FhirInstant.DateLength];
        FhirInstant.FormatDate(unixMs, buffer);
        writer.WriteString(property, buffer);
    }

    /// <summary>Clinical timestamps fall in 2015–2023, before every lastUpdated, like data loaded from an older system.</summary>
    protected static long ClinicalTimeMs(ref DeterministicRandom random)
    {
        const long start = 1_420_070_400_000; // 2015-01-01T00:00:00Z
        const long span = 9L * 365 * 24 * 3600 * 1000;
        return start + (long)(random.NextUInt64() % (ulong)span / 1000 * 1000);
    }
}
