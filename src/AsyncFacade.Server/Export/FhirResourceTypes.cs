using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

internal static class FhirResourceTypes
{
    // ModelInfo.IsKnownResource ignores case, but FHIR type names are case-sensitive ("patient" is not a type), and
    // the abstract bases can never be exported as a type of their own.
    private static readonly FrozenSet<string> Names = ModelInfo.SupportedResources
        .Where(name => name is not ("Resource" or "DomainResource"))
        .ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string name) => Names.Contains(name);
}
