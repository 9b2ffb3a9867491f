using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// The CapabilityStatement, built once per host from its options with Firely POCOs and kept as bytes. Every R4 type
/// is listed with CRUD and search; the generated types also list their search parameters. The quirks decide what it
/// claims (a real server's statement is not always true: <see cref="Profiles.PagingQuirks.UnsearchableTypes"/> stay
/// listed with search-type). No host-specific URL is included so the document is identical on every host.
/// </summary>
internal sealed class CapabilityStatementDocument(IOptions<SampleUpstreamOptions> options)
{
    private readonly Lazy<byte[]> document = new(() => Build(options.Value));

    public byte[] Bytes => document.Value;

    private static byte[] Build(SampleUpstreamOptions options)
    {
        var rest = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server };
        foreach (var type in ModelInfo.SupportedResources.Order(StringComparer.Ordinal))
        {
            if (ResourceTypes.IsKnown(type))
            {
                rest.Resource.Add(ResourceOf(type, options));
            }
        }
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch });
        rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction });
        if (options.History.SystemHistory)
        {
            rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem });
        }
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

    private static CapabilityStatement.ResourceComponent ResourceOf(string type, SampleUpstreamOptions options)
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
        })
        {
            resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = code });
        }
        if (options.History.TypeHistory)
        {
            resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.HistoryType });
        }
        resource.SearchParam.Add(Param("_id", SearchParamType.Token));
        resource.SearchParam.Add(Param("_lastUpdated", SearchParamType.Date));
        if (options.Paging.AdvertiseTotal)
        {
            // A result parameter, advertised so clients (the facade's export) know `_total=accurate` is understood; a
            // profile may drop it whether or not its Total support is real (servers do either).
            resource.SearchParam.Add(Param("_total", SearchParamType.Token));
            if (options.Paging.SummaryCount)
            {
                resource.SearchParam.Add(Param("_summary", SearchParamType.Token));
            }
        }
        if (options.Paging.AdvertiseSort)
        {
            resource.SearchParam.Add(Param("_sort", SearchParamType.Special));
        }
        if (SearchService.HasPatientParameter(type, options))
        {
            resource.SearchParam.Add(Param("patient", SearchParamType.Reference));
            resource.SearchParam.Add(Param("subject", SearchParamType.Reference));
        }
        if (type == "Observation")
        {
            resource.SearchParam.Add(Param("category", SearchParamType.Token));
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
