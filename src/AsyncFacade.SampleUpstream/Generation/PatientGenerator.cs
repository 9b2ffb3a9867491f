using System.Buffers.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class PatientGenerator(SampleCounts counts, int seed)
    : GeneratedType("Patient", "pat", counts.Patients, 0, counts, seed)
{
    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        Span<byte> buffer = stackalloc byte[32];
        writer.WriteStartArray("identifier"u8);
        writer.WriteStartObject();
        writer.WriteString("system"u8, "urn:oid:2.16.840.1.113883.19.5.99999.1"u8);
        "MRN"u8.CopyTo(buffer);
        Utf8Formatter.TryFormat(1_000_000 + index, buffer[3..], out var written);
        writer.WriteString("value"u8, buffer[..(3 + written)]);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean("active"u8, true);

        var female = random.Next(2) == 0;
        writer.WriteStartArray("name"u8);
        writer.WriteStartObject();
        writer.WriteString("use"u8, "official"u8);
        writer.WriteString("family"u8, random.Pick(PersonNames.Family));
        writer.WriteStartArray("given"u8);
        var given = female ? PersonNames.FemaleGiven : PersonNames.MaleGiven;
        writer.WriteStringValue(random.Pick(given));
        if (random.Next(3) == 0)
        {
            writer.WriteStringValue(random.Pick(given));
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartArray("telecom"u8);
        writer.WriteStartObject();
        writer.WriteString("system"u8, "phone"u8);
        "555-"u8.CopyTo(buffer);
        Utf8Formatter.TryFormat(random.Next(1000, 10000), buffer[4..], out written);
        writer.WriteString("value"u8, buffer[..(4 + written)]);
        writer.WriteString("use"u8, "home"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteString("gender"u8, female ? "female"u8 : "male"u8);
        // Born 1930–2019.
        var birthMs = -1_262_304_000_000L + ((long)random.Next(90 * 365) * 86_400_000L);
        WriteDate(writer, "birthDate"u8, birthMs);

        writer.WriteStartArray("address"u8);
        writer.WriteStartObject();
        writer.WriteString("use"u8, "home"u8);
        writer.WriteStartArray("line"u8);
        Utf8Formatter.TryFormat(random.Next(1, 9999), buffer, out written);
        buffer[written++] = (byte)' ';
        var street = random.Pick(PersonNames.Streets);
        street.CopyTo(buffer[written..]);
        writer.WriteStringValue(buffer[..(written + street.Length)]);
        writer.WriteEndArray();
        var city = random.Next(PersonNames.Cities.Length);
        writer.WriteString("city"u8, PersonNames.Cities[city]);
        writer.WriteString("state"u8, PersonNames.States[city]);
        Utf8Formatter.TryFormat(random.Next(10000, 99999), buffer, out written);
        writer.WriteString("postalCode"u8, buffer[..written]);
        writer.WriteString("country"u8, "US"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartArray("generalPractitioner"u8);
        WriteReferenceObject(writer, "Practitioner/prac-"u8, index % Counts.Practitioners);
        writer.WriteEndArray();
        WriteReference(writer, "managingOrganization"u8, "Organization/org-"u8, index % Counts.Organizations);
    }
}
