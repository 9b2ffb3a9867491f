using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.Server.Fhir;

/// <summary>The one set of System.Text.Json options for the small FHIR resources the facade builds (Firely's converter).</summary>
internal static class FhirJson
{
    public static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>For reading what other servers wrote: tolerant of unknown elements and small errors (Firely's Ostrich mode).</summary>
    public static readonly JsonSerializerOptions Lenient = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector).UsingMode(DeserializationMode.Ostrich);

    public static Task SerializeAsync(Stream stream, Resource resource, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, resource, resource.GetType(), Options, cancellationToken);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);
}
