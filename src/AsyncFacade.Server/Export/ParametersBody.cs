using System.Text.Json;
using static AsyncFacade.Server.Export.ExportParameterNames;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Reads a POST kick-off body (a FHIR `Parameters` resource) into raw parameters. JsonDocument instead of Firely:
/// the body is small, and a value[x] we do not expect gets an error that names it instead of a generic parse failure.
/// </summary>
internal static class ParametersBody
{
    public const string BodyParameter = "body";

    public static ExportRequestError? TryRead(string json, out IReadOnlyList<ExportParameter> parameters)
    {
        parameters = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // JsonException's message carries line and byte position only, no content, so it is safe to echo.
            return Body($"not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("resourceType", out var resourceType)
                || resourceType.ValueKind != JsonValueKind.String
                || resourceType.GetString() != "Parameters")
            {
                return Body("must be a FHIR Parameters resource (resourceType \"Parameters\").");
            }

            if (!root.TryGetProperty("parameter", out var entries))
            {
                return null;
            }

            if (entries.ValueKind != JsonValueKind.Array)
            {
                return Body("Parameters.parameter must be an array.");
            }

            var result = new List<ExportParameter>();
            foreach (var entry in entries.EnumerateArray())
            {
                var error = ReadEntry(entry, out var parameter);
                if (error is not null)
                {
                    return error;
                }

                result.Add(parameter!);
            }

            parameters = result;
            return null;
        }
    }

    private static ExportRequestError? ReadEntry(JsonElement entry, out ExportParameter? parameter)
    {
        parameter = null;
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("name", out var nameElement)
            || nameElement.ValueKind != JsonValueKind.String
            || nameElement.GetString() is not { Length: > 0 } name)
        {
            return Body("every Parameters.parameter needs a name.");
        }

        // Unknown names are passed on with no value: the validator rejects them or, if lenient, drops them,
        // and their shape does not matter either way.
        if (!IsKnown(name))
        {
            parameter = new(name, "");
            return null;
        }

        var values = entry.EnumerateObject()
            .Where(p => p.Name.StartsWith("value", StringComparison.Ordinal) || p.Name is "part" or "resource")
            .ToArray();
        if (values.Length != 1 || values[0].Name is "part" or "resource")
        {
            return new(name, $"{name}: needs exactly one value[x] ({Expected(name)}).");
        }

        var value = values[0];
        var text = ReadValue(name, value);
        if (text is null)
        {
            return new(name, $"{name}: expected {Expected(name)}, got {value.Name} of JSON kind {value.Value.ValueKind}.");
        }

        parameter = new(name, text);
        return null;
    }

    /// <summary>Reduces a value[x] to the text the GET form would carry, or null when the kind does not fit the parameter.</summary>
    private static string? ReadValue(string name, JsonProperty value) => (name, value.Name, value.Value.ValueKind) switch
    {
        (Since or Until, "valueInstant" or "valueDateTime", JsonValueKind.String) => value.Value.GetString(),
        (AllowPartialManifests, "valueBoolean", JsonValueKind.True) => "true",
        (AllowPartialManifests, "valueBoolean", JsonValueKind.False) => "false",
        (Patient, "valueReference", JsonValueKind.Object) => ReadReference(value.Value),
        (IncludeAssociatedData, "valueCode" or "valueString", JsonValueKind.String) => value.Value.GetString(),
        (OutputFormat or Types or TypeFilter or Elements or OrganizeOutputBy, "valueString", JsonValueKind.String) =>
            value.Value.GetString(),
        _ => null,
    };

    private static string? ReadReference(JsonElement reference) =>
        reference.TryGetProperty("reference", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

    private static string Expected(string name) => name switch
    {
        Since or Until => "valueInstant or valueDateTime",
        AllowPartialManifests => "valueBoolean",
        Patient => "valueReference with a reference",
        IncludeAssociatedData => "valueCode or valueString",
        _ => "valueString",
    };

    private static ExportRequestError Body(string detail) => new(BodyParameter, $"{BodyParameter}: {detail}");
}
