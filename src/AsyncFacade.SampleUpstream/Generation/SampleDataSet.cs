namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>The generated types for one (Patients, Seed) pair, looked up by FHIR resource type name.</summary>
internal sealed class SampleDataSet
{
    private readonly Dictionary<string, GeneratedType> byName;

    public SampleDataSet(long patients, int seed)
    {
        var counts = new SampleCounts(patients);
        Patient = new PatientGenerator(counts, seed);
        All =
        [
            Patient,
            new EncounterGenerator(counts, seed),
            new ObservationGenerator(counts, seed),
            new ConditionGenerator(counts, seed),
            new MedicationRequestGenerator(counts, seed),
            new OrganizationGenerator(counts, seed),
            new PractitionerGenerator(counts, seed),
            new GroupGenerator(counts, seed),
        ];
        byName = All.ToDictionary(t => t.ResourceType, StringComparer.Ordinal);
    }

    public GeneratedType Patient { get; }

    /// <summary>Every generated type; the patient-compartment types are in <c>$everything</c> order.</summary>
    public IReadOnlyList<GeneratedType> All { get; }

    public GeneratedType? Find(string resourceType) => byName.GetValueOrDefault(resourceType);
}
