namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Builds the absolute base URL (scheme, host, PathBase, BasePath) that fullUrl and links start with.</summary>
internal static class FhirRequestBase
{
    public static string Of(HttpRequest request, string basePath) =>
        string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, basePath);
}
