using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Diagnostics;

namespace AsyncFacade.Server.Fhir;

/// <summary>
/// Every error leaves as an OperationOutcome: unhandled exceptions (no stack trace, just a trace id),
/// bad requests the framework rejects, and status codes with no body (unknown route 404, wrong method 405).
/// </summary>
internal static class FhirErrorHandling
{
    public static IServiceCollection AddFhirErrors(this IServiceCollection services)
    {
        // Model binding failures throw BadHttpRequestException instead of writing an empty 400, so they get an outcome too.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseFhirErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteExceptionAsync,
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // The middleware logs real failures at Error; a client's bad request is not one.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        return app;
    }

    private static Task WriteExceptionAsync(HttpContext httpContext)
    {
        var status = httpContext.Response.StatusCode;
        // The framework's message for a bad request names the parameter or limit that failed and carries no internals.
        var diagnostics = httpContext.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad
            ? bad.Message
            : $"An unexpected error occurred. Trace id: {httpContext.TraceIdentifier}.";
        var code = status >= 500 ? OperationOutcome.IssueType.Exception : Outcomes.CodeFor(status);
        return FhirResults.WriteErrorAsync(httpContext, status, code, diagnostics);
    }

    private static Task WriteStatusAsync(HttpContext httpContext)
    {
        var status = httpContext.Response.StatusCode;
        return FhirResults.WriteErrorAsync(httpContext, status, Outcomes.CodeFor(status), Outcomes.DescribeStatus(status));
    }
}
