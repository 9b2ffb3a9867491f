using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class ObservationGenerator(SampleCounts counts, int seed)
    : GeneratedType("Observation", "obs", counts.Patients * SampleCounts.ObservationsPerPatient, SampleCounts.ObservationsPerPatient, counts, seed)
{
    private const int PerEncounter = SampleCounts.ObservationsPerPatient / SampleCounts.EncountersPerPatient;

    /// <summary>The category of observation <paramref name="index"/>, without writing it: the first draw of its body's sequence.</summary>
    public Coded CategoryOf(long index)
    {
        var random = RandomOf(index);
        return KindOf(ref random).Category;
    }

    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        var patient = index / PerPatient;
        var encounter = (patient * SampleCounts.EncountersPerPatient) + (index % PerPatient / PerEncounter);
        var kind = KindOf(ref random);

        writer.WriteString("status"u8, "final"u8);
        writer.WriteStartArray("category"u8);
        WriteConceptObject(writer, kind.Category);
        writer.WriteEndArray();
        WriteConcept(writer, "code"u8, kind.Code, withText: true);
        WriteReference(writer, "subject"u8, "Patient/pat-"u8, patient);
        WriteReference(writer, "encounter"u8, "Encounter/enc-"u8, encounter);
        var effective = EncounterGenerator.StartMs(Seed, encounter) + (random.Next(5, 90) * 60_000L);
        WriteInstant(writer, "effectiveDateTime"u8, effective);
        WriteInstant(writer, "issued"u8, effective + (random.Next(1, 240) * 60_000L));

        // Values are whole numbers of 10^-Decimals so "37.0" keeps its trailing zero, as lab systems send it.
        var scaled = random.Next(kind.Min, kind.Max + 1);
        writer.WriteStartObject("valueQuantity"u8);
        writer.WriteNumber("value"u8, new decimal(scaled, 0, 0, false, kind.Decimals));
        writer.WriteString("unit"u8, kind.Unit);
        writer.WriteString("system"u8, "http://unitsofmeasure.org"u8);
        writer.WriteString("code"u8, kind.UcumCode);
        writer.WriteEndObject();
    }

    private static ObservationKind KindOf(ref DeterministicRandom random) => ClinicalCodes.Observations[random.Next(ClinicalCodes.Observations.Length)];
}
