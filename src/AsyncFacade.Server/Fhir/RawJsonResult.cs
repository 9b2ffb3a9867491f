namespace AsyncFacade.Server.Fhir;

/// <summary>A JSON body already serialised (a Bulk Data manifest, a stored OperationOutcome) with its status and media type.</summary>
internal sealed class RawJsonResult(int status, string contentType, string body) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = contentType;
        return httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
    }
}
