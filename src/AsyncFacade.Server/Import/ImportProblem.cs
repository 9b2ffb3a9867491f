using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>Why a line (or a whole input) was not imported: an issue code, the reason, and the element at fault when known.</summary>
internal sealed record ImportProblem(OperationOutcome.IssueType Code, string Reason, string? Expression = null);
