using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary><c>POST [base]</c> with a batch or transaction Bundle.</summary>
internal static class BatchEndpoint
{
    public static async Task<IResult> PostAsync(HttpRequest request, BatchProcessor processor, IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        var (body, _, error) = await RequestBody.ReadObjectAsync(request, keepRaw: false, cancellationToken);
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        if ((body!["resourceType"] as System.Text.Json.Nodes.JsonValue)?.GetValue<string>() != "Bundle")
        {
            return new OperationOutcomeResult(FhirError.Invalid("POST to the base needs a Bundle of type batch or transaction."));
        }
        var baseUrl = FhirRequestBase.Of(request, options.Value.BasePath);
        error = processor.Process(body, baseUrl, QueryParameters.IsStrict(request), out var outcomes, out var responseType);
        var quirks = options.Value.Writes;
        if (error is not null)
        {
            return quirks.EmptyMinimalErrorResponse && PreferHeader.ReturnOf(request) == PreferReturn.Minimal
                ? new EmptyFhirResult(error.StatusCode)
                : new OperationOutcomeResult(error);
        }
        if (quirks.EmptyMinimalResponse && PreferHeader.ReturnOf(request) == PreferReturn.Minimal)
        {
            // Medplum's answer (see WriteQuirks): the FHIR content type, and not a byte to say what happened to each entry.
            return new EmptyFhirResult();
        }
        // Import writes thousands of entries; echoing each resource back is opt-in.
        var withResources = PreferHeader.Asks(request, "return=representation");
        return new BatchResponseResult(responseType, outcomes, baseUrl, withResources, quirks);
    }
}
