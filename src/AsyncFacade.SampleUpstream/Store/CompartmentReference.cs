using System.Text.Json.Nodes;

namespace AsyncFacade.SampleUpstream.Store;

/// <summary>Finds which patient's compartment a stored resource is in, from the references search uses.</summary>
internal static class CompartmentReference
{
    public static string? PatientIdOf(string resourceType, string id, JsonObject resource)
    {
        if (resourceType == "Patient")
        {
            return id;
        }
        return PatientIdOf(resource["subject"]) ?? PatientIdOf(resource["patient"]);
    }

    /// <summary>The id in <c>Patient/x</c>, <c>Patient/x/_history/2</c> or <c>http://host/fhir/Patient/x</c>; null otherwise.</summary>
    public static string? PatientIdFromReference(string reference)
    {
        int start;
        if (reference.StartsWith("Patient/", StringComparison.Ordinal))
        {
            start = "Patient/".Length;
        }
        else
        {
            var at = reference.LastIndexOf("/Patient/", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }
            start = at + "/Patient/".Length;
        }
        var id = reference.AsSpan(start);
        var slash = id.IndexOf('/');
        if (slash >= 0)
        {
            id = id[..slash];
        }
        return id.IsEmpty ? null : id.ToString();
    }

    private static string? PatientIdOf(JsonNode? reference) =>
        reference is JsonObject target && target["reference"] is JsonValue value && value.TryGetValue<string>(out var text)
            ? PatientIdFromReference(text)
            : null;
}
