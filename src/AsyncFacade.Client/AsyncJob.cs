using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>A kicked-off job: its status URL (from `Content-Location`) and what the server said it honoured.</summary>
public sealed record AsyncJob(Uri StatusUrl)
{
    /// <summary>`Preference-Applied` of the kick-off answer, if any.</summary>
    public string? PreferenceApplied { get; init; }

    /// <summary>A completion callback was asked for at kick-off.</summary>
    public bool CallbackRequested { get; init; }

    /// <summary>The kick-off's informational OperationOutcome, if it sent one.</summary>
    public OperationOutcome? Outcome { get; init; }
}
