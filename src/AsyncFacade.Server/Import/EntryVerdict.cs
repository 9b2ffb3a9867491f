namespace AsyncFacade.Server.Import;

/// <summary>
/// What the upstream's batch answer says about one entry: written, failed (with the upstream's reason), or nothing
/// definite (<see cref="Unknown"/>: an empty body, no entries, a wrong entry count, an entry without a status), in which
/// case <see cref="Hint"/> says why, <see cref="Problem"/> carries any error outcome the entry had, and
/// <see cref="LocationId"/> the id its location names (a create's server-assigned id).
/// </summary>
internal sealed record EntryVerdict(EntryState State, ImportProblem? Problem = null, string? Hint = null, string? LocationId = null)
{
    public static readonly EntryVerdict Written = new(EntryState.Written);

    public static EntryVerdict Unknown(string hint, ImportProblem? problem = null, string? locationId = null) => new(EntryState.Unknown, problem, hint, locationId);
}
