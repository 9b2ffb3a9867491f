using System.Text.Json;
using AsyncFacade.Server.Export;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Reads a kick-off body in either accepted form into an <see cref="ImportRequest"/>; the first problem found is returned,
/// naming the parameter (`input[2].url`, `output[0].type`, `mode`…). JsonDocument rather than Firely: the body is small
/// (bounded at kick-off) and a value[x] of the wrong kind gets an error that names it.
/// </summary>
internal static class ImportRequestParser
{
    public static ImportRequest? Parse(string json, bool lenient, out ImportRequestError? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            // JsonException's message carries line and byte position only, no content, so it is safe to echo.
            error = new("body", $"body: not valid JSON: {e.Message}");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = Body();
                return null;
            }
            if (root.TryGetProperty("resourceType", out var resourceType))
            {
                return resourceType.ValueKind == JsonValueKind.String && resourceType.GetString() == "Parameters"
                    ? ImportParametersReader.Read(root, lenient, out error)
                    : Fail(Body(), out error);
            }
            return root.TryGetProperty("output", out _) ? ReadManifest(root, out error) : Fail(Body(), out error);
        }
    }

    /// <summary>Checks what both forms share: a known type and an absolute URL per input, at least one input.</summary>
    public static ImportRequestError? CheckInputs(string form, IReadOnlyList<ImportInput> inputs)
    {
        if (inputs.Count == 0)
        {
            return new(form, $"{form}: at least one input file is required.");
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var (type, url) = inputs[i];
            if (!FhirResourceTypes.IsKnown(type))
            {
                return new($"{form}[{i}].type", $"{form}[{i}].type: '{type}' is not a FHIR R4 resource type.");
            }
            // On Unix "/path" parses as an absolute file:// URI; a relative URL must be written with a scheme to count.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.IsFile && !url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
            {
                return new($"{form}[{i}].url", $"{form}[{i}].url: '{url}' is not an absolute URL.");
            }
            // az:// and s3:// are for the output store's provider to read (ImportSourcePolicy), or to refuse.
            if (uri.Scheme is not ("http" or "https" or "file" or ImportSource.AzureScheme or ImportSource.S3Scheme))
            {
                return new($"{form}[{i}].url", $"{form}[{i}].url: the '{uri.Scheme}' scheme is not supported; use https, http, file, az or s3.", NotSupported: true);
            }
        }
        return null;
    }

    public static bool IsNdjsonFormat(string value) =>
        value.Trim().ToLowerInvariant() is ExportRequestValidator.NdjsonMediaType or "application/ndjson" or "ndjson";

    /// <summary>A Bulk Data export manifest: `output[{type,url}]` are the inputs; `error[]` is the exporter's business.</summary>
    private static ImportRequest? ReadManifest(JsonElement root, out ImportRequestError? error)
    {
        error = null;
        var output = root.GetProperty("output");
        if (output.ValueKind != JsonValueKind.Array)
        {
            return Fail(new("output", "output: must be an array of {type, url}."), out error);
        }
        var inputs = new List<ImportInput>();
        var index = 0;
        foreach (var file in output.EnumerateArray())
        {
            if (file.ValueKind != JsonValueKind.Object || Text(file, "type") is not { } type || Text(file, "url") is not { } url)
            {
                return Fail(new($"output[{index}]", $"output[{index}]: needs a string type and url."), out error);
            }
            inputs.Add(new ImportInput(type, url));
            index++;
        }
        if (CheckInputs("output", inputs) is { } bad)
        {
            return Fail(bad, out error);
        }
        var requiresToken = root.TryGetProperty("requiresAccessToken", out var requires) && requires.ValueKind == JsonValueKind.True;
        var deleted = root.TryGetProperty("deleted", out var deletions) && deletions.ValueKind == JsonValueKind.Array ? deletions.GetArrayLength() : 0;
        return new ImportRequest(ImportMode.IncrementalLoad, Text(root, "request"), inputs, requiresToken, deleted) { Form = "output" };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ImportRequestError Body() => new("body",
        "body: must be a FHIR Parameters resource (inputFormat, input{type,url}, mode) or a Bulk Data manifest ({\"output\":[{\"type\",\"url\"}]}).");

    public static ImportRequest? Fail(ImportRequestError problem, out ImportRequestError? error)
    {
        error = problem;
        return null;
    }
}
