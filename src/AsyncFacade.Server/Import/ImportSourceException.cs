using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>An input could not be read (refused, unreachable, not found, gone): the input fails, the import goes on.</summary>
internal sealed class ImportSourceException(string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Transient) : Exception(message)
{
    public OperationOutcome.IssueType Code => code;
}
