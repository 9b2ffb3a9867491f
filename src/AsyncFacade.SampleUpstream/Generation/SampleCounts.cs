namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>How many resources of each generated type exist for a given number of patients.</summary>
internal sealed record SampleCounts(long Patients)
{
    public const int EncountersPerPatient = 3;
    public const int ObservationsPerPatient = 12;
    public const int ConditionsPerPatient = 2;
    public const int MedicationRequestsPerPatient = 2;

    public long Organizations => Patients == 0 ? 0 : Math.Max(1, Patients / 50);

    public long Practitioners => Patients == 0 ? 0 : Math.Max(1, Patients / 20);

    public long Groups => Patients == 0 ? 0 : GroupGenerator.Definitions.Length;
}
