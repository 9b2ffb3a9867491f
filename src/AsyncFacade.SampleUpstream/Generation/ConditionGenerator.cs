using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

internal sealed class ConditionGenerator(SampleCounts counts, int seed)
    : GeneratedType("Condition", "cond", counts.Patients * SampleCounts.ConditionsPerPatient, SampleCounts.ConditionsPerPatient, counts, seed)
{
    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        var patient = index / PerPatient;
        var encounter = (patient * SampleCounts.EncountersPerPatient) + (index % PerPatient);
        var resolved = random.Next(4) == 0;
        WriteConcept(writer, "clinicalStatus"u8, resolved ? ClinicalCodes.ClinicalResolved : ClinicalCodes.ClinicalActive);
        WriteConcept(writer, "verificationStatus"u8, ClinicalCodes.Confirmed);
        writer.WriteStartArray("category"u8);
        WriteConceptObject(writer, ClinicalCodes.EncounterDiagnosis);
        writer.WriteEndArray();
        WriteConcept(writer, "code"u8, random.Pick(ClinicalCodes.Conditions), withText: true);
        WriteReference(writer, "subject"u8, "Patient/pat-"u8, patient);
        WriteReference(writer, "encounter"u8, "Encounter/enc-"u8, encounter);
        var onset = EncounterGenerator.StartMs(Seed, encounter);
        WriteInstant(writer, "onsetDateTime"u8, onset);
        if (resolved)
        {
            WriteInstant(writer, "abatementDateTime"u8, onset + (random.Next(7, 120) * 86_400_000L));
        }
        WriteInstant(writer, "recordedDate"u8, onset + (random.Next(10, 60) * 60_000L));
    }
}
