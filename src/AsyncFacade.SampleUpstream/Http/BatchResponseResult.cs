using AsyncFacade.SampleUpstream.Generation;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Streams a batch-response / transaction-response Bundle, one entry per request entry, in order.</summary>
internal sealed class BatchResponseResult(string bundleType, EntryOutcome[] outcomes, string baseUrl, bool withResources) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = FhirMediaType.Json;
        using var body = new StreamingJsonBody(response);
        var bundle = new BundleWriter(body.Writer, baseUrl);
        var writer = body.Writer;
        bundle.WriteStart(bundleType, null, null, null);
        foreach (var outcome in outcomes)
        {
            bundle.StartEntry();
            if (outcome.Written is { } written)
            {
                writer.WriteString("fullUrl"u8, bundle.FullUrl(written.ResourceType, written.Id));
                if (withResources && written.Json is not null)
                {
                    writer.WritePropertyName("resource"u8);
                    writer.WriteRawValue(written.Json, skipInputValidation: true);
                }
            }
            else if (outcome.Resource is { } item)
            {
                writer.WritePropertyName("resource"u8);
                BundleWriter.WriteResource(writer, item);
            }
            else if (outcome.Page is { } page)
            {
                writer.WritePropertyName("resource"u8);
                var nested = new BundleWriter(writer, baseUrl);
                nested.WriteStart(page.BundleType, page.Total, page.SelfUrl, page.NextUrl);
                foreach (var match in page.Matches)
                {
                    nested.WriteMatch(match);
                }
                nested.WriteEnd();
            }
            writer.WriteStartObject("response"u8);
            writer.WriteString("status"u8, outcome.Status);
            if (outcome.Written is { IsDeleted: false } version)
            {
                writer.WriteString("location"u8, $"{version.ResourceType}/{version.Id}/_history/{version.VersionId}");
                writer.WriteString("etag"u8, ETag.Of(version.VersionId));
                writer.WriteString("lastModified"u8, FhirInstant.ToInstantString(version.LastUpdatedMs));
            }
            else if (outcome.Resource is not null)
            {
                writer.WriteString("etag"u8, ETag.Of(outcome.VersionId));
                writer.WriteString("lastModified"u8, FhirInstant.ToInstantString(outcome.LastUpdatedMs));
            }
            if (outcome.Error is { } error)
            {
                writer.WritePropertyName("outcome"u8);
                OperationOutcomeWriter.Write(writer, error);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            await body.FlushIfFullAsync(cancellationToken);
        }
        bundle.WriteEnd();
        await body.FlushAsync(cancellationToken);
    }
}
