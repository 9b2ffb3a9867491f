using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Fhir;

/// <summary>
/// Claims the methods a facade route does not serve. Without it they fall through to the pass-through route, which
/// would forward them upstream (a PUT on /fhir/OperationDefinition/import would write there) or, with
/// `Prefer: respond-async`, start a job: a 405 with an OperationOutcome and `Allow` (RFC 9110 §15.5.6) instead.
/// </summary>
internal static class MethodNotAllowed
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static RouteHandlerBuilder MapOtherMethods(this IEndpointRouteBuilder routes, string pattern, params string[] allowed) =>
        routes.MapMethods(pattern, Methods.Except(allowed), (HttpContext httpContext) => Answer(httpContext, allowed)).ExcludeFromDescription();

    private static IResult Answer(HttpContext httpContext, string[] allowed)
    {
        var list = string.Join(", ", allowed);
        httpContext.Response.Headers.Allow = list;
        return FhirResults.Error(StatusCodes.Status405MethodNotAllowed, OperationOutcome.IssueType.NotSupported,
            $"{httpContext.Request.Method} is not supported on {httpContext.Request.Path}; it answers {list}.");
    }
}
