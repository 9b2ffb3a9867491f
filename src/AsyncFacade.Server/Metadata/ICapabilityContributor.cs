using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Metadata;

/// <summary>A feature's additions to the upstream's CapabilityStatement (async support, $export, $import…).</summary>
public interface ICapabilityContributor
{
    void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase);
}
