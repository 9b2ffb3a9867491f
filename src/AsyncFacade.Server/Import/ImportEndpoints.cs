using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;

namespace AsyncFacade.Server.Import;

internal static class ImportEndpoints
{
    public static RouteGroupBuilder MapImport(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(PublicBaseUrl.FhirPath).WithTags("Bulk Data");
        fhir.MapPost("/$import", (HttpContext c, ImportKickOff k) => k.KickOffAsync(c))
            .WithName("Import")
            .WithSummary("Bulk import of NDJSON files into the upstream (Prefer: respond-async required); body: a Parameters resource or a Bulk Data export manifest")
            .Produces(StatusCodes.Status202Accepted, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status400BadRequest, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status413PayloadTooLarge, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status415UnsupportedMediaType, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status429TooManyRequests, contentType: FhirMediaTypes.Json);
        fhir.MapGet(ImportOperationDefinition.Path, (HttpContext c, PublicBaseUrl publicBase) =>
                FhirResults.Ok(ImportOperationDefinition.Create(publicBase.FhirBase(c.Request))))
            .WithName("ImportOperationDefinition")
            .WithSummary("The OperationDefinition of $import as this server implements it (both accepted body forms)")
            .RequireJsonAccept();
        fhir.MapOtherMethods("/$import", HttpMethods.Post);
        fhir.MapOtherMethods(ImportOperationDefinition.Path, HttpMethods.Get);
        return fhir;
    }
}
