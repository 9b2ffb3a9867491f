using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class EncounterGenerator(SampleCounts counts, int seed)
    : GeneratedType("Encounter", "enc", counts.Patients * SampleCounts.EncountersPerPatient, SampleCounts.EncountersPerPatient, counts, seed)
{
    private static readonly ulong StartStream = DeterministicRandom.StreamOf("Encounter.period.start");

    /// <summary>Start of encounter <paramref name="index"/>; the resources recorded during it derive their times from it.</summary>
    public static long StartMs(ulong seed, long index)
    {
        var random = new DeterministicRandom(seed, StartStream, index);
        return ClinicalTimeMs(ref random);
    }

    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        var patient = index / PerPatient;
        var kind = random.Next(ClinicalCodes.EncounterTypes.Length);
        writer.WriteString("status"u8, "finished"u8);
        var encounterClass = ClinicalCodes.EncounterClasses[kind];
        writer.WriteStartObject("class"u8);
        writer.WriteString("system"u8, encounterClass.System);
        writer.WriteString("code"u8, encounterClass.Code);
        writer.WriteString("display"u8, encounterClass.Display);
        writer.WriteEndObject();
        writer.WriteStartArray("type"u8);
        WriteConceptObject(writer, ClinicalCodes.EncounterTypes[kind], withText: true);
        writer.WriteEndArray();
        WriteReference(writer, "subject"u8, "Patient/pat-"u8, patient);

        writer.WriteStartArray("participant"u8);
        writer.WriteStartObject();
        WriteReference(writer, "individual"u8, "Practitioner/prac-"u8, (patient + index) % Counts.Practitioners);
        writer.WriteEndObject();
        writer.WriteEndArray();

        var start = StartMs(Seed, index);
        var minutes = kind >= 3 ? random.Next(24 * 60, 7 * 24 * 60) : random.Next(15, 120);
        writer.WriteStartObject("period"u8);
        WriteInstant(writer, "start"u8, start);
        WriteInstant(writer, "end"u8, start + (minutes * 60_000L));
        writer.WriteEndObject();
        WriteReference(writer, "serviceProvider"u8, "Organization/org-"u8, patient % Counts.Organizations);
    }
}
