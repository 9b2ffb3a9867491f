using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The lines of an export's error file: one OperationOutcome each, naming the type it is about. The code says what a
/// client may do: `transient`/`throttled`/`timeout` may succeed on a new export; anything else will not.
/// </summary>
internal static class ExportErrors
{
    public static string Line(string type, OperationOutcome.IssueType code, string diagnostics,
        OperationOutcome.IssueSeverity severity = OperationOutcome.IssueSeverity.Error) =>
        FhirJson.Serialize(Outcomes.Create(code, diagnostics, severity, expression: type));
}
