using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Checks a body before it is stored: a JSON object with a known (and expected) resourceType, and, unless
/// <see cref="SampleUpstreamOptions.ValidateResources"/> is off, one that Firely's deserializer accepts, so an
/// import of invalid data is refused here as a real server would refuse it.
/// </summary>
internal sealed class ResourceValidator(IOptions<SampleUpstreamOptions> options)
{
    private const int MaxReportedIssues = 3;

    private readonly FhirJsonDeserializer deserializer = new(new DeserializerSettings());

    public FhirError? Check(JsonObject resource, string? expectedType, byte[]? raw, out string resourceType)
    {
        resourceType = string.Empty;
        if (resource["resourceType"] is not JsonValue value || !value.TryGetValue<string>(out var type))
        {
            return FhirError.Invalid("The resource has no resourceType.");
        }
        resourceType = type;
        if (!ResourceTypes.IsKnown(type))
        {
            return FhirError.Invalid($"'{type}' is not a FHIR R4 resource type.");
        }
        if (expectedType is not null && type != expectedType)
        {
            return FhirError.Invalid($"The body is a {type} but the URL is for {expectedType}.");
        }
        if (resource["id"] is { } id && (id is not JsonValue idValue || !idValue.TryGetValue<string>(out var text) || !ResourceTypes.IsValidId(text)))
        {
            return FhirError.Invalid("The resource id is not a valid FHIR id ([A-Za-z0-9-.]{1,64}).");
        }
        if (!options.Value.ValidateResources)
        {
            return null;
        }
        var bytes = raw ?? JsonSerializer.SerializeToUtf8Bytes(resource);
        var reader = new Utf8JsonReader(bytes);
        if (deserializer.TryDeserializeResource(ref reader, out _, out var issues))
        {
            return null;
        }
        var messages = new List<string>(MaxReportedIssues);
        foreach (var issue in issues)
        {
            if (messages.Count == MaxReportedIssues)
            {
                break;
            }
            messages.Add(issue.Message);
        }
        return FhirError.Invalid($"The {type} is not valid FHIR R4: {string.Join(" ", messages)}");
    }
}
