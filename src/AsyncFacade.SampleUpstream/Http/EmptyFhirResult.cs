namespace AsyncFacade.SampleUpstream.Http;

/// <summary>`200` with `Content-Type: application/fhir+json` and an empty body (<see cref="Profiles.WriteQuirks.EmptyMinimalResponse"/>).</summary>
internal sealed class EmptyFhirResult : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = FhirMediaType.Json;
        httpContext.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
