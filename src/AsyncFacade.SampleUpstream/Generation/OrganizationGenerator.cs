using System.Buffers.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class OrganizationGenerator(SampleCounts counts, int seed)
    : GeneratedType("Organization", "org", counts.Organizations, 0, counts, seed)
{
    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        Span<byte> buffer = stackalloc byte[96];
        writer.WriteStartArray("identifier"u8);
        writer.WriteStartObject();
        writer.WriteString("system"u8, "http://hl7.org/fhir/sid/us-npi"u8);
        Utf8Formatter.TryFormat(1_000_000_000 + index, buffer, out var written);
        writer.WriteString("value"u8, buffer[..written]);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean("active"u8, true);
        writer.WriteStartArray("type"u8);
        WriteConceptObject(writer, ClinicalCodes.HealthcareProvider);
        writer.WriteEndArray();

        var city = random.Next(PersonNames.Cities.Length);
        var cityName = PersonNames.Cities[city];
        var kind = random.Pick(PersonNames.OrganizationKinds);
        cityName.CopyTo(buffer);
        buffer[cityName.Length] = (byte)' ';
        kind.CopyTo(buffer[(cityName.Length + 1)..]);
        writer.WriteString("name"u8, buffer[..(cityName.Length + 1 + kind.Length)]);

        writer.WriteStartArray("telecom"u8);
        writer.WriteStartObject();
        writer.WriteString("system"u8, "phone"u8);
        "555-"u8.CopyTo(buffer);
        Utf8Formatter.TryFormat(random.Next(1000, 10000), buffer[4..], out written);
        writer.WriteString("value"u8, buffer[..(4 + written)]);
        writer.WriteString("use"u8, "work"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray("address"u8);
        writer.WriteStartObject();
        writer.WriteString("city"u8, cityName);
        writer.WriteString("state"u8, PersonNames.States[city]);
        writer.WriteString("country"u8, "US"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
