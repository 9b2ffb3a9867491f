using System.Globalization;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Search;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>One resource (generated or stored) with ETag, Last-Modified and optionally Location.</summary>
internal sealed class ResourceResult(int statusCode, PageItem item, int versionId, long lastUpdatedMs, string? location = null, bool withBody = true) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.Headers.ETag = ETag.Of(versionId);
        response.Headers.LastModified = DateTimeOffset.FromUnixTimeMilliseconds(lastUpdatedMs).ToString("R", CultureInfo.InvariantCulture);
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        if (!withBody)
        {
            return;
        }
        response.ContentType = FhirMediaType.Json;
        using (var writer = new Utf8JsonWriter(response.BodyWriter, FhirJsonFormat.WriterOptions))
        {
            BundleWriter.WriteResource(writer, item);
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
