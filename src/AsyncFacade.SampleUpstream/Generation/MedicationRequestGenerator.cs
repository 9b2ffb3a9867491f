using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class MedicationRequestGenerator(SampleCounts counts, int seed)
    : GeneratedType("MedicationRequest", "medrx", counts.Patients * SampleCounts.MedicationRequestsPerPatient, SampleCounts.MedicationRequestsPerPatient, counts, seed)
{
    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        var patient = index / PerPatient;
        var encounter = (patient * SampleCounts.EncountersPerPatient) + (index % PerPatient);
        writer.WriteString("status"u8, random.Next(3) == 0 ? "completed"u8 : "active"u8);
        writer.WriteString("intent"u8, "order"u8);
        WriteConcept(writer, "medicationCodeableConcept"u8, random.Pick(ClinicalCodes.Medications), withText: true);
        WriteReference(writer, "subject"u8, "Patient/pat-"u8, patient);
        WriteReference(writer, "encounter"u8, "Encounter/enc-"u8, encounter);
        WriteInstant(writer, "authoredOn"u8, EncounterGenerator.StartMs(Seed, encounter) + (random.Next(10, 90) * 60_000L));
        WriteReference(writer, "requester"u8, "Practitioner/prac-"u8, (patient + encounter) % Counts.Practitioners);
        writer.WriteStartArray("dosageInstruction"u8);
        writer.WriteStartObject();
        writer.WriteString("text"u8, random.Pick(ClinicalCodes.Dosages));
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
