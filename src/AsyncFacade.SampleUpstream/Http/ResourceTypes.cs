using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Which type names and ids the API accepts.</summary>
internal static partial class ResourceTypes
{
    /// <summary>Types whose instances are not in a patient compartment via subject/patient, so patient= does not apply.</summary>
    private static readonly HashSet<string> NoPatientParameter = new(StringComparer.Ordinal) { "Patient", "Organization", "Practitioner", "Group" };

    public static bool IsKnown(string type) => ModelInfo.IsKnownResource(type) && type is not ("Resource" or "DomainResource");

    public static bool HasPatientParameter(string type) => !NoPatientParameter.Contains(type);

    /// <summary>FHIR R4 id: [A-Za-z0-9\-\.]{1,64}.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdPattern();
}
