using System.Text.Json;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Checks what a compartment-limited token writes. A resource must lie in Patient/{p}'s compartment: a Patient must be
/// Patient/{p} itself; any other type's `patient` search parameter (its element paths in Firely's
/// <see cref="ModelInfo.SearchParameters"/>, e.g. `Observation.subject`) must refer to Patient/{p} and to no other
/// patient. A JSON Patch must leave those elements alone. Only what can be checked passes: FHIR JSON, relative
/// references, no duplicate properties (strict parsing: another parser could keep the other duplicate).
/// </summary>
internal static class CompartmentBody
{
    /// <summary>Bodies are read whole to be checked (one patient's resource is a few KB); a larger one is refused, not streamed.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <returns>Null when the body is a <paramref name="type"/> in Patient/<paramref name="patientId"/>'s compartment; else why not.</returns>
    public static async Task<ScopeRefusal?> CheckResourceAsync(HttpRequest request, string type, string patientId, string neededScope, CancellationToken cancellationToken)
    {
        if (!IsMediaType(request, FhirMediaTypes.Json) && !IsMediaType(request, "application/json"))
        {
            return ScopeRefusal.Forbidden($"Under a patient restriction a {type} must be sent as FHIR JSON, which the facade reads to check its patient; " +
                $"'{request.ContentType}' cannot be checked.", neededScope);
        }
        var (bytes, tooLarge) = await ReadAsync(request, cancellationToken);
        if (bytes is null)
        {
            return tooLarge;
        }
        Resource? resource;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(bytes, FhirJson.Options);
        }
        catch (Exception ex) when (ex is DeserializationFailedException or JsonException)
        {
            return ScopeRefusal.Invalid($"The body is read to check its patient and is not a valid FHIR R4 resource: {ex.Message}");
        }
        if (resource is null)
        {
            return ScopeRefusal.Invalid("The body is read to check its patient and holds no resource.");
        }
        if (resource.TypeName != type)
        {
            return ScopeRefusal.Invalid($"The body is a {resource.TypeName}, not a {type}.");
        }
        var problem = type == "Patient"
            ? resource.Id == patientId ? null : $"The token may write only Patient/{patientId}; the body is Patient/{resource.Id ?? "(no id)"}."
            : PatientProblem(resource, type, patientId);
        return problem is null ? null : ScopeRefusal.Forbidden(problem, neededScope);
    }

    /// <returns>Null when the body is a JSON Patch that leaves the elements deciding <paramref name="type"/>'s compartment alone; else why not.</returns>
    public static async Task<ScopeRefusal?> CheckPatchAsync(HttpRequest request, string type, string neededScope, CancellationToken cancellationToken)
    {
        if (!IsMediaType(request, "application/json-patch+json"))
        {
            return ScopeRefusal.Forbidden($"Under a patient restriction only a JSON Patch (application/json-patch+json) can be checked to keep the {type} " +
                $"in the compartment; '{request.ContentType}' cannot.", neededScope);
        }
        var (bytes, tooLarge) = await ReadAsync(request, cancellationToken);
        if (bytes is null)
        {
            return tooLarge;
        }
        var guarded = CompartmentPaths(type).Select(p => p.Split('.')[1]).ToHashSet(StringComparer.Ordinal);
        try
        {
            using var patch = JsonDocument.Parse(bytes);
            if (patch.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ScopeRefusal.Invalid("A JSON Patch is an array of operations (RFC 6902).");
            }
            foreach (var operation in patch.RootElement.EnumerateArray())
            {
                foreach (var member in new[] { "path", "from" })
                {
                    if (operation.ValueKind == JsonValueKind.Object && operation.TryGetProperty(member, out var pointer) && pointer.ValueKind == JsonValueKind.String
                        && TopElement(pointer.GetString()!) is var element && (element is null || guarded.Contains(element)))
                    {
                        return ScopeRefusal.Forbidden($"The patch changes {(element is null ? "the whole resource" : $"`{element}`")}, which decides whose compartment " +
                            $"the {type} is in; under a patient restriction that cannot be patched.", neededScope);
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            return ScopeRefusal.Invalid($"The JSON Patch is not valid JSON: {ex.Message}");
        }
        return null;
    }

    /// <summary>The element paths of <paramref name="type"/>'s `patient` search parameter (`Observation.subject`); none outside every compartment.</summary>
    public static IReadOnlyList<string> CompartmentPaths(string type) =>
        [.. ModelInfo.SearchParameters.Where(p => p.Resource == type && p.Name == "patient").SelectMany(p => p.Path ?? []).Distinct()];

    private static string? PatientProblem(Resource resource, string type, string patientId)
    {
        var paths = CompartmentPaths(type);
        if (paths.Count == 0)
        {
            return $"{type} has no `patient` search parameter, so it is outside every patient compartment.";
        }
        var patients = new List<string>();
        foreach (var reference in paths.SelectMany(path => resource.Select(path)).OfType<ResourceReference>())
        {
            var text = reference.Reference;
            if (string.IsNullOrEmpty(text))
            {
                if (reference.Type == "Patient" || reference.Identifier is not null)
                {
                    return $"The {type} refers to a patient by identifier only, which the facade cannot check against Patient/{patientId}.";
                }
                continue; // a display only: no patient
            }
            if (text.StartsWith('#'))
            {
                if (resource is DomainResource { Contained: var contained } && contained.Any(c => c is Patient && "#" + c.Id == text))
                {
                    return $"The {type} refers to a contained Patient, which is not Patient/{patientId}.";
                }
                continue;
            }
            var parts = text.Split('/');
            if (parts[0] == "Patient" && (parts.Length == 2 || (parts.Length == 4 && parts[2] == "_history")))
            {
                patients.Add(parts[1]);
            }
            else if (text.Contains(':'))
            {
                return $"The {type} refers to {text}; under a patient restriction only relative references (Patient/{patientId}) can be checked.";
            }
            // Another relative reference (Group/…) names no patient.
        }
        if (patients.Count == 0)
        {
            return $"The {type} refers to no patient in {string.Join(", ", paths)}, so it would be outside Patient/{patientId}'s compartment.";
        }
        return patients.FirstOrDefault(id => id != patientId) is { } other
            ? $"The {type} refers to Patient/{other}, outside Patient/{patientId}'s compartment."
            : null;
    }

    /// <summary>The first element of a JSON Pointer (RFC 6901: `~1` is `/`, `~0` is `~`); null for the whole document.</summary>
    private static string? TopElement(string pointer)
    {
        var parts = pointer.Split('/');
        return parts.Length < 2 || parts[0].Length > 0 ? null : parts[1].Replace("~1", "/").Replace("~0", "~");
    }

    private static bool IsMediaType(HttpRequest request, string mediaType) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body, buffered and rewound so the forwarder or the async kick-off sends it on; null and a 413 past <see cref="MaxBytes"/>.</summary>
    private static async Task<(byte[]? Bytes, ScopeRefusal? TooLarge)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = ScopeRefusal.TooLarge($"Under a patient restriction a body is read to be checked, and may be at most {MaxBytes} bytes.");
        if (request.ContentLength > MaxBytes)
        {
            return (null, tooLarge);
        }
        request.EnableBuffering();
        var buffer = new byte[(int)(request.ContentLength ?? MaxBytes) + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        request.Body.Position = 0;
        return length > MaxBytes ? (null, tooLarge) : (buffer[..length], null);
    }
}
