namespace AsyncFacade.SampleUpstream.Http;

/// <summary>A status (200 unless told) with `Content-Type: application/fhir+json` and an empty body (<see cref="Profiles.WriteQuirks.EmptyMinimalResponse"/>).</summary>
internal sealed class EmptyFhirResult(int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = FhirMediaType.Json;
        httpContext.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
