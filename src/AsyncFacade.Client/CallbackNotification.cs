using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>One completion callback: `completed`, `failed` or `cancelled`, and where the result is.</summary>
public sealed record CallbackNotification(string Status, Uri ResultUrl, OperationOutcome? Outcome);
