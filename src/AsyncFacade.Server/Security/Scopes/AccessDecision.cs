namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Whether a token may do something with a type, and how the request must be narrowed. Several restrictions are
/// alternatives (the union of what several scopes grant): a single search can enforce exactly one of them, an export
/// one search per alternative. An allowed decision with <see cref="AccessRestriction.None"/> is unrestricted.
/// </summary>
/// <param name="MissingScope">When refused: the scope that would have allowed it (`system/Observation.rs`).</param>
public sealed record AccessDecision(bool Allowed, IReadOnlyList<AccessRestriction> Restrictions, string? MissingScope)
{
    public static readonly AccessDecision Unrestricted = new(true, [AccessRestriction.None], null);

    public static AccessDecision Refused(string missingScope) => new(false, [], missingScope);

    public bool IsUnrestricted => Allowed && Restrictions is [{ IsNone: true }];
}
