using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>Advertises the Bulk Data export operations the facade implements itself.</summary>
internal sealed class ExportCapabilities : ICapabilityContributor
{
    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        const string bulkData = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
        if (!statement.InstantiatesElement.Any(i => i.Value == bulkData))
        {
            statement.InstantiatesElement.Add(new Canonical(bulkData));
        }
        server.Operation.RemoveAll(o => o.Name == "export");
        server.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export" });
        AddTypeOperation(server, "Patient", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export");
        AddTypeOperation(server, "Group", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
    }

    private static void AddTypeOperation(CapabilityStatement.RestComponent server, string type, string definition)
    {
        var resource = server.Resource.FirstOrDefault(r => r.Type == type);
        if (resource is null)
        {
            resource = new CapabilityStatement.ResourceComponent { Type = type };
            server.Resource.Add(resource);
        }
        resource.Operation.RemoveAll(o => o.Name == "export");
        resource.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = definition });
    }
}
