using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Profiles;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Streams a batch-response / transaction-response Bundle, one entry per request entry, in order; the write quirks
/// shape what each entry's `response` says (or leave the entries out).
/// </summary>
internal sealed class BatchResponseResult(string bundleType, EntryOutcome[] outcomes, string baseUrl, bool withResources, WriteQuirks quirks) : IResult
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
        foreach (var outcome in quirks.NoEntries ? [] : outcomes)
        {
            bundle.StartEntry();
            // An answer that says little says it everywhere: no fullUrl beside a status-less response either.
            if (outcome.Written is { } written && !(quirks.LocationOnlyEntries || quirks.OutcomeOnlyEntries))
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
            if (quirks.LocationOnlyEntries || quirks.OutcomeOnlyEntries)
            {
                WriteScantResponse(writer, outcome);
            }
            else
            {
                WriteResponse(writer, outcome);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            await body.FlushIfFullAsync(cancellationToken);
        }
        bundle.WriteEnd();
        await body.FlushAsync(cancellationToken);
    }

    private void WriteResponse(Utf8JsonWriter writer, EntryOutcome outcome)
    {
        writer.WriteString("status"u8, quirks.BareStatusCodes ? outcome.Status.Split(' ')[0] : outcome.Status);
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
    }

    /// <summary>No status: a location for a written entry (LocationOnlyEntries), or an outcome only (OutcomeOnlyEntries).</summary>
    private void WriteScantResponse(Utf8JsonWriter writer, EntryOutcome outcome)
    {
        if (quirks.LocationOnlyEntries)
        {
            if (outcome.Written is { IsDeleted: false } version)
            {
                writer.WriteString("location"u8, $"{version.ResourceType}/{version.Id}/_history/{version.VersionId}");
            }
            return;
        }
        writer.WritePropertyName("outcome"u8);
        if (outcome.Error is { } error)
        {
            OperationOutcomeWriter.Write(writer, error);
        }
        else
        {
            // What Medplum's allOk says for a success (packages/core outcomes.ts): information, "All OK".
            OperationOutcomeWriter.Write(writer, "information", "informational", "All OK");
        }
    }
}
