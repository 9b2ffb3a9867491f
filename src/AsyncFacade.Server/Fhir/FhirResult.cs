using System.Reflection;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Metadata;

namespace AsyncFacade.Server.Fhir;

/// <summary>
/// Writes a FHIR resource as application/fhir+json with Firely's serializer. Implements
/// <see cref="IEndpointMetadataProvider"/> so a handler returning it documents the response type for Swashbuckle.
/// </summary>
internal sealed class FhirResult<TResource>(TResource resource, int statusCode) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TResource : Resource
{
    public int? StatusCode => statusCode;

    public TResource Resource => resource;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = FhirMediaTypes.JsonUtf8;
        await FhirJson.SerializeAsync(httpContext.Response.Body, resource, httpContext.RequestAborted);
    }

    // No schema: Firely's POCO graph would drag thousands of types into the OpenAPI document.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, type: null, [FhirMediaTypes.Json]));
}
