using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Advertises `$import` with the facade's own OperationDefinition: there is no ratified one to point at, so the definition
/// is served by this server and its canonical URL is where it is served.
/// </summary>
internal sealed class ImportCapabilities : ICapabilityContributor
{
    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        server.Operation.RemoveAll(o => o.Name == "import");
        server.Operation.Add(new CapabilityStatement.OperationComponent
        {
            Name = "import",
            Definition = ImportOperationDefinition.UrlFor(facadeBase),
            Documentation = "Bulk import of NDJSON files: a Parameters body, or a Bulk Data export manifest fed straight in.",
        });
    }
}
