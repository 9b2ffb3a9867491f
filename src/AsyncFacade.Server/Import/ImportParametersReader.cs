using System.Text.Json;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The `Parameters` form, as the HL7 bulk import draft and the Microsoft FHIR server write it: `inputFormat`,
/// `inputSource`, `storageDetail{type}`, `mode` and repeated `input{type, url}` (other input parts, such as `etag`,
/// are ignored). Unknown parameters are refused unless the client asked for `Prefer: handling=lenient`.
/// </summary>
internal static class ImportParametersReader
{
    private static readonly string[] CodeOrString = ["valueCode", "valueString"];
    private static readonly string[] UriOrString = ["valueUri", "valueUrl", "valueString"];

    public static ImportRequest? Read(JsonElement root, bool lenient, out ImportRequestError? error)
    {
        error = null;
        var mode = ImportMode.IncrementalLoad;
        string? source = null;
        var inputs = new List<ImportInput>();
        var entries = root.TryGetProperty("parameter", out var list) ? list : default;
        if (entries.ValueKind != JsonValueKind.Array)
        {
            return ImportRequestParser.Fail(new("parameter", "Parameters.parameter must be an array with at least one input."), out error);
        }
        foreach (var entry in entries.EnumerateArray())
        {
            var name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            error = name switch
            {
                "inputFormat" => Value(entry, name, CodeOrString, out var format) ?? (ImportRequestParser.IsNdjsonFormat(format!)
                    ? null
                    : new(name, $"inputFormat: '{format}' is not supported; use application/fhir+ndjson.", NotSupported: true)),
                "inputSource" => Value(entry, name, UriOrString, out source) ?? (Uri.IsWellFormedUriString(source, UriKind.Absolute)
                    ? null
                    : new(name, $"inputSource: '{source}' is not an absolute URI.")),
                "storageDetail" => ReadStorageDetail(entry),
                "mode" => Value(entry, name, CodeOrString, out var text) ?? (Enum.TryParse(text, ignoreCase: true, out mode) && !int.TryParse(text, out _)
                    ? null
                    : new(name, $"mode: '{text}' is not a mode; use IncrementalLoad (default) or InitialLoad.")),
                "input" => ReadInput(entry, inputs),
                null or "" => new("parameter", "every Parameters.parameter needs a name."),
                _ when lenient => null,
                _ => new(name, $"{name}: unknown parameter (send Prefer: handling=lenient to ignore unknown parameters)."),
            };
            if (error is not null)
            {
                return null;
            }
        }
        if (ImportRequestParser.CheckInputs("input", inputs) is { } bad)
        {
            return ImportRequestParser.Fail(bad, out error);
        }
        return new ImportRequest(mode, source, inputs, RequiresAccessToken: false, DeletedFiles: 0) { Form = "input" };
    }

    private static ImportRequestError? ReadInput(JsonElement entry, List<ImportInput> inputs)
    {
        var at = $"input[{inputs.Count}]";
        string? type = null;
        string? url = null;
        foreach (var part in Parts(entry))
        {
            var name = part.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var problem = name switch
            {
                "type" => Value(part, $"{at}.type", CodeOrString, out type),
                "url" => Value(part, $"{at}.url", UriOrString, out url),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        if (type is null || url is null)
        {
            return new(at, $"{at}: needs a `type` part and a `url` part.");
        }
        inputs.Add(new ImportInput(type, url));
        return null;
    }

    private static ImportRequestError? ReadStorageDetail(JsonElement entry)
    {
        foreach (var part in Parts(entry))
        {
            if (part.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == "type")
            {
                var problem = Value(part, "storageDetail.type", CodeOrString, out var type);
                // Object stores with their own protocols (aws-s3, azure-blob-storage…) are reached here through https URLs only.
                return problem ?? (type is "https" or "http" or "file"
                    ? null
                    : new("storageDetail.type", $"storageDetail.type: '{type}' is not supported; use https (pre-signed URLs work) or file.", NotSupported: true));
            }
        }
        return null;
    }

    private static IEnumerable<JsonElement> Parts(JsonElement entry) =>
        entry.TryGetProperty("part", out var parts) && parts.ValueKind == JsonValueKind.Array
            ? parts.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>The one string value[x] of a parameter or part, of one of the allowed kinds.</summary>
    private static ImportRequestError? Value(JsonElement element, string name, string[] kinds, out string? value)
    {
        value = null;
        var values = element.EnumerateObject().Where(p => p.Name.StartsWith("value", StringComparison.Ordinal)).ToList();
        if (values.Count != 1 || !kinds.Contains(values[0].Name) || values[0].Value.ValueKind != JsonValueKind.String)
        {
            return new(name, $"{name}: needs exactly one of {string.Join(", ", kinds)}, as a string.");
        }
        value = values[0].Value.GetString();
        return string.IsNullOrWhiteSpace(value) ? new(name, $"{name}: is empty.") : null;
    }
}
