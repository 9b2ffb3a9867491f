using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

internal static class FhirResourceTypes
{
    // ModelInfo also knows the abstract bases, which can never be exported as a type of their own.
    public static bool IsKnown(string name) =>
        ModelInfo.IsKnownResource(name) && name is not ("Resource" or "DomainResource");
}
