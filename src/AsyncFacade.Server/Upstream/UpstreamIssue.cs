using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Upstream;

/// <summary>What an upstream OperationOutcome says, in the parts the facade passes on: its code, its words, the element at fault.</summary>
internal sealed record UpstreamIssue(OperationOutcome.IssueType? Code, string? Text, string? Expression);
