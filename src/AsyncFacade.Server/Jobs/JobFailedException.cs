using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Jobs;

/// <summary>A failure a handler reports to the client as the job's OperationOutcome.</summary>
public sealed class JobFailedException(OperationOutcome outcome, string message) : Exception(message)
{
    public OperationOutcome Outcome => outcome;
}
