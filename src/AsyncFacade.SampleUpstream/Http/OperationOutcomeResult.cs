using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Answers a <see cref="FhirError"/> with its status and an OperationOutcome body.</summary>
internal sealed class OperationOutcomeResult(FhirError error) : IResult
{
    public FhirError Error => error;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        if (error.StatusCode >= StatusCodes.Status400BadRequest)
        {
            var logger = httpContext.RequestServices.GetRequiredService<ILogger<OperationOutcomeResult>>();
            SampleUpstreamLog.Rejected(logger, httpContext.Request.Method, httpContext.Request.Path, error.StatusCode, error.IssueCode, error.Diagnostics);
        }
        var response = httpContext.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = FhirMediaType.Json;
        using (var writer = new Utf8JsonWriter(response.BodyWriter, FhirJsonFormat.WriterOptions))
        {
            OperationOutcomeWriter.Write(writer, error);
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
