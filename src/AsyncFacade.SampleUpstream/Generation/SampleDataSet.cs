namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>The generated types for one (Patients, Seed) pair, looked up by FHIR resource type name.</summary>
internal sealed class SampleDataSet
{
    private readonly Dictionary<string, GeneratedType> byName;

    /// <param name="lastUpdatedBurst">Consecutive resources of a type that share one lastUpdated millisecond (see <see cref="GeneratedType.LastUpdatedBurst"/>).</param>
    public SampleDataSet(long patients, int seed, int lastUpdatedBurst = 1)
    {
        var counts = new SampleCounts(patients);
        var burst = Math.Max(1, lastUpdatedBurst);
        Patient = new PatientGenerator(counts, seed) { LastUpdatedBurst = burst };
        All =
        [
            Patient,
            new EncounterGenerator(counts, seed) { LastUpdatedBurst = burst },
            new ObservationGenerator(counts, seed) { LastUpdatedBurst = burst },
            new ConditionGenerator(counts, seed) { LastUpdatedBurst = burst },
            new MedicationRequestGenerator(counts, seed) { LastUpdatedBurst = burst },
            new OrganizationGenerator(counts, seed) { LastUpdatedBurst = burst },
            new PractitionerGenerator(counts, seed) { LastUpdatedBurst = burst },
            new GroupGenerator(counts, seed) { LastUpdatedBurst = burst },
        ];
        byName = All.ToDictionary(t => t.ResourceType, StringComparer.Ordinal);
    }

    public GeneratedType Patient { get; }

    /// <summary>Every generated type; the patient-compartment types are in <c>$everything</c> order.</summary>
    public IReadOnlyList<GeneratedType> All { get; }

    public GeneratedType? Find(string resourceType) => byName.GetValueOrDefault(resourceType);
}
