using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Reads a JSON request body through the PipeReader and parses it in place (no copy into a string or stream).
/// Bodies are single resources or import-sized Bundles; Kestrel's MaxRequestBodySize bounds them.
/// </summary>
internal static class RequestBody
{
    public static async Task<(JsonObject? Body, byte[]? Raw, FhirError? Error)> ReadObjectAsync(HttpRequest request, bool keepRaw, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } contentType && contentType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, new FhirError(StatusCodes.Status415UnsupportedMediaType, "not-supported", "Only JSON (application/fhir+json) is supported."));
        }
        var reader = request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
            // Ask for more without consuming anything, so the whole body ends up in one sequence.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        var buffer = result.Buffer;
        try
        {
            if (buffer.IsEmpty)
            {
                return (null, null, FhirError.Invalid("The request body is empty; a FHIR JSON resource is required."));
            }
            var json = new Utf8JsonReader(buffer, new JsonReaderOptions { MaxDepth = 128 });
            var node = JsonNode.Parse(ref json);
            if (node is not JsonObject body)
            {
                return (null, null, FhirError.Invalid("The request body must be a JSON object (a FHIR resource)."));
            }
            return (body, keepRaw ? buffer.ToArray() : null, null);
        }
        catch (JsonException exception)
        {
            return (null, null, FhirError.Invalid($"The request body is not valid JSON: {exception.Message}"));
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
        }
    }
}
