using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Fhir;

/// <summary>
/// The facade writes its own FHIR answers in JSON only: an `Accept` that allows no JSON gets 406 (FHIR R4 http.html#mime-type),
/// not a body the client said it cannot read.
/// </summary>
internal static class JsonAccept
{
    public static bool Allows(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Count == 0 || accept.Any(a =>
            a.MediaType.Value is "*/*" or "application/*" or "application/json" or FhirMediaTypes.Json);
    }

    /// <summary>Refuses, before the handler runs, a request whose `Accept` allows no JSON (documented as a 406 in OpenAPI).</summary>
    public static RouteHandlerBuilder RequireJsonAccept(this RouteHandlerBuilder builder) =>
        builder
            .Produces(StatusCodes.Status406NotAcceptable, contentType: FhirMediaTypes.Json)
            .AddEndpointFilter((context, next) => Allows(context.HttpContext.Request)
                ? next(context)
                : ValueTask.FromResult<object?>(FhirResults.Error(StatusCodes.Status406NotAcceptable, OperationOutcome.IssueType.NotSupported,
                    "This resource is only available as application/fhir+json; Accept allows neither it nor application/json.", "Accept")));
}
