namespace AsyncFacade.SampleUpstream.Http;

internal static class FhirMediaType
{
    public const string Json = "application/fhir+json; charset=utf-8";
}
