using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>Advertises the Bulk Data export operations the facade implements itself.</summary>
internal sealed class ExportCapabilities : ICapabilityContributor
{
    private const string Parameters =
        "Implemented by the facade over the upstream's searches, at system, patient and group level. Parameters: `_outputFormat` " +
        "(application/fhir+ndjson), `_since` (with `deleted[]` from the upstream's type history, else its system history; where it has " +
        "neither, the error file says so per type), `_until`, `_type`, `_elements`, `_typeFilter` (several per type ORed; each is tried on the " +
        "upstream at kick-off: under `Prefer: handling=strict`, the default, a filter the upstream would not apply is refused with 400, under " +
        "`handling=lenient` the type is exported without it and the error file says so), `patient`, `includeAssociatedData` (accepted, reported " +
        "as not supported), `organizeOutputBy=Patient` (not with `_since`, `_elements` or `_typeFilter`), `allowPartialManifests`. The upstream is " +
        "paged one type at a time by its own next links (sorted by `_lastUpdated` where it takes `_sort`); a refused or expired next link is " +
        "replaced by a `_lastUpdated` bound without loss or duplicates. Where the upstream can count, each type's output is checked against its " +
        "count: a shortfall is an `incomplete` line in `error[]`.";

    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        const string bulkData = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
        if (!statement.InstantiatesElement.Any(i => i.Value == bulkData))
        {
            statement.InstantiatesElement.Add(new Canonical(bulkData));
        }
        server.Operation.RemoveAll(o => o.Name == "export");
        server.Operation.Add(new CapabilityStatement.OperationComponent
        {
            Name = "export",
            Definition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
            Documentation = new Markdown(Parameters),
        });
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
