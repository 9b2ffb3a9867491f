namespace AsyncFacade.Server.Fhir;

internal static class FhirMediaTypes
{
    public const string Json = "application/fhir+json";
    public const string JsonUtf8 = "application/fhir+json; charset=utf-8";

    /// <summary>True for FHIR JSON and plain JSON bodies (some upstreams answer application/json whatever Accept says).</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.StartsWith(Json, StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));
}
