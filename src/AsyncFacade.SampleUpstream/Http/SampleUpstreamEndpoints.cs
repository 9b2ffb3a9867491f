using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// The FHIR REST routes under BasePath. Every path also gets a method-less endpoint answering 405 with an
/// OperationOutcome: routing prefers endpoints with a matching HTTP method, so it only catches the rest.
/// </summary>
internal static class SampleUpstreamEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/metadata", (CapabilityStatementDocument metadata) => Results.Bytes(metadata.Bytes, FhirMediaType.Json)).WithName("SampleUpstreamMetadata");
        group.MapGet("/", SearchEndpoints.BaseGet);
        group.MapPost("/", BatchEndpoint.PostAsync);
        group.MapGet("/{type}", SearchEndpoints.SearchAsync);
        group.MapPost("/{type}", InstanceEndpoints.CreateAsync);
        group.MapMethods("/{type}/_search", [HttpMethods.Get, HttpMethods.Post], SearchEndpoints.SearchAsync);
        group.MapGet("/{type}/_history", SearchEndpoints.History);
        group.MapGet("/{type}/{id}", InstanceEndpoints.Read);
        group.MapPut("/{type}/{id}", InstanceEndpoints.UpdateAsync);
        group.MapDelete("/{type}/{id}", InstanceEndpoints.Delete);
        group.MapGet("/{type}/{id}/_history/{vid}", InstanceEndpoints.VRead);
        group.MapMethods("/{type}/{id}/$everything", [HttpMethods.Get, HttpMethods.Post], SearchEndpoints.EverythingAsync);

        string[] paths = ["/metadata", "/", "/{type}", "/{type}/_search", "/{type}/_history", "/{type}/{id}", "/{type}/{id}/_history/{vid}", "/{type}/{id}/$everything"];
        foreach (var path in paths)
        {
            group.Map(path, MethodNotAllowed);
        }
    }

    private static IResult MethodNotAllowed(HttpRequest request) =>
        new OperationOutcomeResult(new FhirError(StatusCodes.Status405MethodNotAllowed, "not-supported", $"{request.Method} is not supported on {request.Path}."));
}
