using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// The CapabilityStatement, built once with Firely POCOs and kept as bytes. Every R4 type is listed with CRUD
/// and search; the generated types also list their search parameters. No host-specific URL is included so
/// the document is identical on every host.
/// </summary>
internal static class CapabilityStatementDocument
{
    private static readonly Lazy<byte[]> Document = new(Build);

    public static byte[] Bytes => Document.Value;

    private static byte[] Build()
    {
        var rest = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server };
        foreach (var type in ModelInfo.SupportedResources.Order(StringComparer.Ordinal))
        {
            if (ResourceTypes.IsKnown(type))
            {
                rest.Resource.Add(ResourceOf(type));
            }
        }
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch });
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction });
        var statement = new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = "2025-01-01",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "AsyncFacade sample upstream" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "Synchronous FHIR R4 server over deterministic generated data" },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json", "application/fhir+json"],
            Rest = [rest],
        };
        return JsonSerializer.SerializeToUtf8Bytes(statement, new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector));
    }

    private static CapabilityStatement.ResourceComponent ResourceOf(string type)
    {
        var resource = new CapabilityStatement.ResourceComponent
        {
            Type = type,
            Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
            ReadHistory = true,
            UpdateCreate = true,
        };
        foreach (var code in new[]
        {
            CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Vread,
            CapabilityStatement.TypeRestfulInteraction.Update, CapabilityStatement.TypeRestfulInteraction.Delete,
            CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.SearchType,
            CapabilityStatement.TypeRestfulInteraction.HistoryType,
        })
        {
            resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = code });
        }
        resource.SearchParam.Add(Param("_id", SearchParamType.Token));
        resource.SearchParam.Add(Param("_lastUpdated", SearchParamType.Date));
        // A result parameter, advertised so clients (the facade's export) know `_total=accurate` is understood.
        resource.SearchParam.Add(Param("_total", SearchParamType.Token));
        if (ResourceTypes.HasPatientParameter(type))
        {
            resource.SearchParam.Add(Param("patient", SearchParamType.Reference));
            resource.SearchParam.Add(Param("subject", SearchParamType.Reference));
        }
        if (type == "Patient")
        {
            resource.Operation.Add(new CapabilityStatement.OperationComponent
            {
                Name = "everything",
                Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything",
            });
        }
        return resource;
    }

    private static CapabilityStatement.SearchParamComponent Param(string name, SearchParamType type) => new() { Name = name, Type = type };
}
