using System.Globalization;
using System.Text.Json;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Whether a resource read back from the upstream holds what a line sent: the same JSON, property order aside, numbers
/// by value (1.50 = 1.5), and ignoring what a server writes itself: `meta` (versionId, lastUpdated, Medplum's author and
/// project), `text` (HAPI can generate the narrative) and the top-level `id` (the read-back is by id already; a create's
/// line has none). A server that keeps the version for an unchanged PUT (HAPI, Medplum, Microsoft) still counts as
/// having written it. Both sides are one resource of a batch, parsed whole: small by construction.
/// </summary>
internal static class ResourceContent
{
    public static bool Same(ReadOnlyMemory<byte> sent, JsonElement stored)
    {
        using var document = JsonDocument.Parse(sent);
        var line = document.RootElement;
        if (line.ValueKind != JsonValueKind.Object || stored.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        return Equal(Properties(line, topLevel: true), Properties(stored, topLevel: true));
    }

    private static bool Equal(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Object, JsonValueKind.Object) => Equal(Properties(a, topLevel: false), Properties(b, topLevel: false)),
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equal(p.First, p.Second)),
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetRawText() == b.GetRawText()
            || (decimal.TryParse(a.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && decimal.TryParse(b.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && x == y),
        (JsonValueKind.String, JsonValueKind.String) => a.ValueEquals(b.GetString()),
        var (kindA, kindB) => kindA == kindB && kindA is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
    };

    private static bool Equal(Dictionary<string, JsonElement> a, Dictionary<string, JsonElement> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && Equal(p.Value, other));

    private static Dictionary<string, JsonElement> Properties(JsonElement element, bool topLevel)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!topLevel || property.Name is not ("meta" or "text" or "id"))
            {
                properties[property.Name] = property.Value;
            }
        }
        return properties;
    }
}
