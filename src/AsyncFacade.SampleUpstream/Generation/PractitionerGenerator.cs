using System.Buffers.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class PractitionerGenerator(SampleCounts counts, int seed)
    : GeneratedType("Practitioner", "prac", counts.Practitioners, 0, counts, seed)
{
    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        Span<byte> buffer = stackalloc byte[24];
        writer.WriteStartArray("identifier"u8);
        writer.WriteStartObject();
        writer.WriteString("system"u8, "http://hl7.org/fhir/sid/us-npi"u8);
        Utf8Formatter.TryFormat(2_000_000_000 + index, buffer, out var written);
        writer.WriteString("value"u8, buffer[..written]);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean("active"u8, true);

        var female = random.Next(2) == 0;
        writer.WriteStartArray("name"u8);
        writer.WriteStartObject();
        writer.WriteString("family"u8, random.Pick(PersonNames.Family));
        writer.WriteStartArray("given"u8);
        writer.WriteStringValue(random.Pick(female ? PersonNames.FemaleGiven : PersonNames.MaleGiven));
        writer.WriteEndArray();
        writer.WriteStartArray("prefix"u8);
        writer.WriteStringValue("Dr."u8);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("gender"u8, female ? "female"u8 : "male"u8);
        writer.WriteStartArray("qualification"u8);
        writer.WriteStartObject();
        WriteConcept(writer, "code"u8, ClinicalCodes.Physician);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
