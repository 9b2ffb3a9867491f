using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `_elements` for one resource type: keeps resourceType, id, meta, the type's mandatory elements and the requested
/// ones (root level only, as the Bulk Data spec allows), and tags the resource SUBSETTED so nobody mistakes it for the
/// whole. Kept properties are copied as raw bytes; only `meta` is rebuilt (it is small).
/// </summary>
internal sealed class ElementsFilter
{
    private static readonly JsonObject SubsettedTag = new()
    {
        ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
        ["code"] = "SUBSETTED",
    };

    private readonly HashSet<string> keep = new(StringComparer.Ordinal) { "resourceType", "id", "meta" };
    private readonly List<string> choices = [];

    private ElementsFilter(string type, IEnumerable<string> requested)
    {
        var mapping = ModelInfo.ModelInspector.FindClassMapping(type);
        foreach (var property in mapping?.PropertyMappings ?? [])
        {
            if (property.IsMandatoryElement)
            {
                keep.Add(property.Name);
            }
            if (property.Choice == Hl7.Fhir.Introspection.ChoiceType.DatatypeChoice)
            {
                choices.Add(property.Name);
            }
        }
        keep.UnionWith(requested);
    }

    /// <summary>The filter for a type, or null when `_elements` asks nothing of it (then resources are copied whole).</summary>
    public static ElementsFilter? For(string type, IReadOnlyList<string> elements)
    {
        if (elements.Count == 0)
        {
            return null;
        }
        var requested = elements
            .Select(e => e.Split('.', 2))
            .Where(parts => parts.Length == 1 || parts[0] == type)
            .Select(parts => parts[^1]);
        return new ElementsFilter(type, requested);
    }

    /// <summary>Writes the filtered form of one compact resource (no trailing newline).</summary>
    public void Write(ReadOnlySpan<byte> resource, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        var reader = new Utf8JsonReader(resource);
        reader.Read(); // StartObject
        writer.WriteStartObject();
        var sawMeta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = resource[start..(int)reader.BytesConsumed];
            if (name == "meta")
            {
                sawMeta = true;
                writer.WritePropertyName("meta");
                WriteMeta(JsonNode.Parse(value)!.AsObject(), writer);
            }
            else if (Keeps(name))
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(value, skipInputValidation: true);
            }
        }
        if (!sawMeta)
        {
            writer.WritePropertyName("meta");
            WriteMeta([], writer);
        }
        writer.WriteEndObject();
    }

    private bool Keeps(string jsonName)
    {
        // `_birthDate` carries birthDate's id/extensions; `valueQuantity` is the element `value[x]`.
        var name = jsonName.StartsWith('_') ? jsonName[1..] : jsonName;
        if (keep.Contains(name))
        {
            return true;
        }
        foreach (var choice in choices)
        {
            if (name.Length > choice.Length && name.StartsWith(choice, StringComparison.Ordinal) && char.IsUpper(name[choice.Length]) && keep.Contains(choice))
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteMeta(JsonObject meta, Utf8JsonWriter writer)
    {
        var tags = meta["tag"] as JsonArray ?? [];
        if (!tags.Any(t => t?["code"]?.GetValue<string>() == "SUBSETTED"))
        {
            tags.Add(SubsettedTag.DeepClone());
        }
        meta["tag"] = tags;
        meta.WriteTo(writer);
    }
}
