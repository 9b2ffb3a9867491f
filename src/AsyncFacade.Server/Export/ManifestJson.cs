namespace AsyncFacade.Server.Export;

/// <summary>A manifest body as written: Bulk Data manifests are `application/json`, not FHIR resources.</summary>
internal sealed class ManifestJson(int status, string contentType, string body) : IResult
{
    public static ManifestJson Ok(string body) => new(StatusCodes.Status200OK, "application/json; charset=utf-8", body);

    /// <summary>A partial manifest of a running export (`allowPartialManifests`): 202, with the files ready so far.</summary>
    public static ManifestJson Partial(string body) => new(StatusCodes.Status202Accepted, "application/json; charset=utf-8", body);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = contentType;
        return httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
    }
}
