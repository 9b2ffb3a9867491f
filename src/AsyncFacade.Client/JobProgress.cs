namespace AsyncFacade.Client;

/// <summary>Reported after every status poll while waiting: what the server said and how long the client will wait.</summary>
/// <param name="Poll">1 for the first poll.</param>
/// <param name="NextPollIn">The delay chosen before the next poll.</param>
/// <param name="DelaySource">Where that delay came from.</param>
public sealed record JobProgress(int Poll, JobStatus Status, TimeSpan NextPollIn, DelaySource DelaySource, TimeSpan Elapsed);
