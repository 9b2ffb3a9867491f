using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.Client;

/// <summary>System.Text.Json options for the small FHIR resources the client reads and writes (Firely's converter).</summary>
internal static class FhirJson
{
    /// <summary>Lenient (Firely's Ostrich mode): servers write what they write, and a client should still read the outcome.</summary>
    public static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector).UsingMode(DeserializationMode.Ostrich);

    /// <summary>A code's FHIR literal (`not-found`), not its .NET enum name (`NotFound`).</summary>
    public static string? Literal(Enum? code) => code is null ? null : Hl7.Fhir.Utility.EnumUtility.GetLiteral(code);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    /// <summary>The resource in a JSON body, or null when the body is not a FHIR resource Firely can read.</summary>
    public static Resource? TryParse(ReadOnlySpan<byte> json)
    {
        if (!HasResourceType(json))
        {
            return null; // e.g. a Bulk Data manifest, which is plain JSON
        }
        try
        {
            return JsonSerializer.Deserialize<Resource>(json, Options);
        }
        catch (Exception ex) when (ex is JsonException or DeserializationFailedException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool HasResourceType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("resourceType"u8))
                {
                    return true;
                }
                reader.Read();
                reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
