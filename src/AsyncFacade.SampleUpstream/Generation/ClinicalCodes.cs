using System.Text;

namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>Small, real-looking code tables (LOINC, SNOMED CT, RxNorm, HL7 code systems) the generators pick from.</summary>
internal static class ClinicalCodes
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    public static readonly Coded VitalSigns = Coded.Of(ObservationCategory, "vital-signs", "Vital Signs");
    public static readonly Coded Laboratory = Coded.Of(ObservationCategory, "laboratory", "Laboratory");

    public static readonly ObservationKind[] Observations =
    [
        Kind("8867-4", "Heart rate", VitalSigns, "beats/minute", "/min", 50, 110, 0),
        Kind("8310-5", "Body temperature", VitalSigns, "°C", "Cel", 360, 385, 1),
        Kind("9279-1", "Respiratory rate", VitalSigns, "breaths/minute", "/min", 12, 22, 0),
        Kind("29463-7", "Body weight", VitalSigns, "kg", "kg", 450, 1200, 1),
        Kind("8302-2", "Body height", VitalSigns, "cm", "cm", 1500, 1950, 1),
        Kind("39156-5", "Body mass index (BMI) [Ratio]", VitalSigns, "kg/m2", "kg/m2", 180, 350, 1),
        Kind("8480-6", "Systolic blood pressure", VitalSigns, "mmHg", "mm[Hg]", 100, 160, 0),
        Kind("8462-4", "Diastolic blood pressure", VitalSigns, "mmHg", "mm[Hg]", 60, 100, 0),
        Kind("2339-0", "Glucose [Mass/volume] in Blood", Laboratory, "mg/dL", "mg/dL", 70, 180, 0),
        Kind("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", Laboratory, "mg/dL", "mg/dL", 140, 260, 0),
        Kind("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", Laboratory, "%", "%", 45, 95, 1),
        Kind("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", Laboratory, "mg/dL", "mg/dL", 60, 140, 2),
    ];

    public static readonly Coded[] Conditions =
    [
        Coded.Of(Snomed, "44054006", "Diabetes mellitus type 2"),
        Coded.Of(Snomed, "38341003", "Hypertensive disorder"),
        Coded.Of(Snomed, "195967001", "Asthma"),
        Coded.Of(Snomed, "55822004", "Hyperlipidemia"),
        Coded.Of(Snomed, "13645005", "Chronic obstructive lung disease"),
        Coded.Of(Snomed, "35489007", "Depressive disorder"),
        Coded.Of(Snomed, "40055000", "Chronic sinusitis"),
        Coded.Of(Snomed, "10509002", "Acute bronchitis"),
        Coded.Of(Snomed, "444814009", "Viral sinusitis"),
        Coded.Of(Snomed, "271737000", "Anemia"),
        Coded.Of(Snomed, "162864005", "Body mass index 30+ - obesity"),
        Coded.Of(Snomed, "399211009", "History of myocardial infarction"),
    ];

    public static readonly Coded[] Medications =
    [
        Coded.Of(RxNorm, "308136", "amlodipine 2.5 MG Oral Tablet"),
        Coded.Of(RxNorm, "314076", "lisinopril 10 MG Oral Tablet"),
        Coded.Of(RxNorm, "860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"),
        Coded.Of(RxNorm, "259255", "atorvastatin 80 MG Oral Tablet"),
        Coded.Of(RxNorm, "745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler"),
        Coded.Of(RxNorm, "310965", "ibuprofen 200 MG Oral Tablet"),
        Coded.Of(RxNorm, "313782", "acetaminophen 325 MG Oral Tablet"),
        Coded.Of(RxNorm, "198211", "simvastatin 40 MG Oral Tablet"),
    ];

    public static readonly byte[][] Dosages =
    [
        "Take 1 tablet by mouth once daily"u8.ToArray(),
        "Take 1 tablet by mouth twice daily"u8.ToArray(),
        "Take 2 tablets by mouth every 6 hours as needed"u8.ToArray(),
        "Inhale 2 puffs every 4 hours as needed"u8.ToArray(),
    ];

    public static readonly Coded[] EncounterTypes =
    [
        Coded.Of(Snomed, "185349003", "Encounter for check up"),
        Coded.Of(Snomed, "390906007", "Follow-up encounter"),
        Coded.Of(Snomed, "50849002", "Emergency room admission"),
        Coded.Of(Snomed, "183452005", "Emergency hospital admission"),
    ];

    /// <summary>Encounter.class per encounter type above (same order).</summary>
    public static readonly Coded[] EncounterClasses =
    [
        Coded.Of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
        Coded.Of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
        Coded.Of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", "emergency"),
        Coded.Of("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
    ];

    public static readonly Coded ClinicalActive = Coded.Of("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active");
    public static readonly Coded ClinicalResolved = Coded.Of("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", "Resolved");
    public static readonly Coded Confirmed = Coded.Of("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed");
    public static readonly Coded EncounterDiagnosis = Coded.Of("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis", "Encounter Diagnosis");
    public static readonly Coded HealthcareProvider = Coded.Of("http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider");
    public static readonly Coded Physician = Coded.Of(Snomed, "309343006", "Physician");

    private static ObservationKind Kind(string code, string display, Coded category, string unit, string ucum, int min, int max, byte decimals) =>
        new(Coded.Of(Loinc, code, display), category, Encoding.UTF8.GetBytes(unit), Encoding.UTF8.GetBytes(ucum), min, max, decimals);
}
