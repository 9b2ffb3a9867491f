namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// What to tell a client when its job ends. <paramref name="Status"/> is completed, failed or cancelled;
/// <paramref name="OutcomeJson"/> is an OperationOutcome as FHIR JSON (usually for failed), sent as the `outcome` parameter.
/// </summary>
public sealed record CallbackNotification(string JobId, string CallbackUrl, string Status, string ResultUrl, string? OutcomeJson);
