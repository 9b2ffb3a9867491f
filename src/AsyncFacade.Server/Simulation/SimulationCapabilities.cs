using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Simulation;

/// <summary>Tells client developers in the CapabilityStatement that this server simulates faults on request.</summary>
internal sealed class SimulationCapabilities(IOptions<SimulationOptions> options) : ICapabilityContributor
{
    public static readonly string Documentation =
        "Reference test server mode is ON: a kick-off may carry `X-Simulate: <behaviours>` (or use the base `/sim/<behaviours>/fhir`) " +
        "to make its job misbehave on purpose. Behaviours: " + SimulatedBehaviour.Grammar + ". `X-Simulate-Upstream: <faults>` makes the " +
        "job's upstream calls fail (kinds 429, 500, 503, slow, drop, truncate, invalid-json; parameters p, n, retry-after, ms, bytes, path).";

    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        if (options.Value.Enabled)
        {
            server.Documentation = string.IsNullOrEmpty(server.Documentation) ? Documentation : server.Documentation + "\n\n" + Documentation;
        }
    }
}
