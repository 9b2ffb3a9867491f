namespace AsyncFacade.Server.Simulation;

/// <summary>The reference-test-server mode: kick-offs may ask the facade to misbehave on purpose (see README).</summary>
public sealed class SimulationOptions
{
    public const string Section = "Simulation";

    /// <summary>Honour `X-Simulate`, `X-Simulate-Upstream` and the `/sim/{behaviours}/fhir` base. Off: they are ignored and `/sim` is 404.</summary>
    public bool Enabled { get; set; }
}
