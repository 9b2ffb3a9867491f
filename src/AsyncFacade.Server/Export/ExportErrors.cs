using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>The lines of an export's error file: one OperationOutcome each, naming the type it is about.</summary>
internal static class ExportErrors
{
    public static string Line(string type, string diagnostics) =>
        FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Transient, diagnostics, expression: type));
}
