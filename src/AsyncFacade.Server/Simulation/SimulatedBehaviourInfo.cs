namespace AsyncFacade.Server.Simulation;

/// <summary>
/// One behaviour of the `X-Simulate` grammar as a person reads it: the launch page builds its form from these.
/// </summary>
/// <param name="Name">The token as written, e.g. `duration` or `poll-429`.</param>
/// <param name="Parameter">What follows `=`, e.g. `N (1-3600 s)` or `transient|fatal`; null for a flag.</param>
/// <param name="Choices">The allowed values when the parameter is one of a fixed set; null otherwise.</param>
/// <param name="Minimum">The smallest number allowed when the parameter is a number.</param>
/// <param name="Maximum">The largest number allowed when the parameter is a number.</param>
/// <param name="Explanation">One line: what the client sees.</param>
internal sealed record SimulatedBehaviourInfo(
    string Name,
    string? Parameter,
    IReadOnlyList<string>? Choices,
    int? Minimum,
    int? Maximum,
    string Explanation)
{
    public static SimulatedBehaviourInfo Flag(string name, string explanation) => new(name, null, null, null, null, explanation);

    public static SimulatedBehaviourInfo Number(string name, int minimum, int maximum, string explanation) =>
        new(name, $"N ({minimum}-{maximum} s)", null, minimum, maximum, explanation);

    public static SimulatedBehaviourInfo OneOf(string name, string explanation, params string[] choices) =>
        new(name, string.Join('|', choices), choices, null, null, explanation);

    /// <summary>How the grammar writes it: `duration=N (1-3600 s)`, `fail=transient|fatal`, `poll-429`.</summary>
    public string Syntax => Parameter is null ? Name : $"{Name}={Parameter}";
}
